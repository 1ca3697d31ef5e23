// The analysts' dashboard: satisfaction (the three levels and the nine criteria) and timeliness per agency, procedure
// or period, as charts, each with the table of the numbers it draws (the report API's, as they are) and the CSV the
// API gives. Aggregates only: the reports hold no dossier and no person.
"use strict";
(function (HoSo) {
  var LEVELS = ["VERY_SATISFIED", "SATISFIED", "DISSATISFIED"];
  var CRITERIA = ["TOTAL_TIME_AGAINST_LIMIT", "TIME_AT_EACH_UNIT", "NUMBER_OF_CONTACTS", "NUMBER_OF_AGENCIES_CONTACTED",
    "HANDLED_AT_ONE_STOP_DESK", "PROCEDURE_PUBLISHED", "STAFF_ATTITUDE", "FEEDBACK_HANDLING", "ONLINE_SERVICE_QUALITY"];
  var TIMELINESS = ["dossiers", "resultsIssued", "onTime", "late", "onTimeRate", "openAndLateNow",
    "averageWorkingHoursToResult", "onlineSubmissionRate", "onlinePaymentRate"];
  Object.assign(HoSo.texts, {
    title: { vi: "Mức độ hài lòng và đúng hạn", en: "Satisfaction and timeliness" },
    welcome: { vi: "Số liệu cho người phân tích", en: "Figures for analysts" },
    signInHint: { vi: "Đăng nhập bằng tài khoản phân tích hoặc thanh tra để xem số liệu tổng hợp.",
                  en: "Sign in with an analyst's or inspector's account to see the aggregate figures." },
    filters: { vi: "Bộ lọc", en: "Filters" },
    groupBy: { vi: "Nhóm theo", en: "Group by" },
    agency: { vi: "Cơ quan", en: "Agency" },
    procedureGroup: { vi: "Thủ tục", en: "Procedure" },
    month: { vi: "Tháng", en: "Month" }, quarter: { vi: "Quý", en: "Quarter" }, year: { vi: "Năm", en: "Year" },
    from: { vi: "Từ ngày", en: "From" }, to: { vi: "Đến ngày", en: "To" },
    apply: { vi: "Xem số liệu", en: "Show the figures" },
    satisfaction: { vi: "Mức độ hài lòng", en: "Satisfaction" },
    satisfactionChart: { vi: "Biểu đồ số đánh giá theo mức độ", en: "Chart of ratings by level" },
    satisfactionTable: { vi: "Số đánh giá theo mức độ", en: "Ratings by level" },
    criteria: { vi: "Điểm trung bình theo tiêu chí (tối đa 2)", en: "Average points per criterion (at most 2)" },
    criteriaChart: { vi: "Biểu đồ điểm trung bình theo tiêu chí", en: "Chart of the average points per criterion" },
    criteriaTable: { vi: "Điểm trung bình theo tiêu chí", en: "Average points per criterion" },
    timeliness: { vi: "Giải quyết đúng hạn", en: "Timeliness" },
    timelinessChart: { vi: "Biểu đồ kết quả đúng hạn và quá hạn", en: "Chart of results on time and late" },
    timelinessTable: { vi: "Kết quả đúng hạn và quá hạn", en: "Results on time and late" },
    csv: { vi: "Tải về CSV", en: "Download CSV" },
    group: { vi: "Nhóm", en: "Group" },
    total: { vi: "Tổng", en: "Total" },
    none: { vi: "(không có)", en: "(none)" },
    ratings: { vi: "Số đánh giá", en: "Ratings" },
    averagePoints: { vi: "Điểm trung bình (tối đa 18)", en: "Average points (of 18)" },
    VERY_SATISFIED: { vi: "Rất hài lòng", en: "Very satisfied" },
    SATISFIED: { vi: "Hài lòng", en: "Satisfied" },
    DISSATISFIED: { vi: "Không hài lòng", en: "Dissatisfied" },
    TOTAL_TIME_AGAINST_LIMIT: { vi: "Thời gian giải quyết", en: "Total time" },
    TIME_AT_EACH_UNIT: { vi: "Thời gian tại đơn vị", en: "Time per unit" },
    NUMBER_OF_CONTACTS: { vi: "Số lần liên hệ", en: "Contacts" },
    NUMBER_OF_AGENCIES_CONTACTED: { vi: "Số cơ quan", en: "Agencies" },
    HANDLED_AT_ONE_STOP_DESK: { vi: "Một cửa", en: "One-stop desk" },
    PROCEDURE_PUBLISHED: { vi: "Công khai thủ tục", en: "Published" },
    STAFF_ATTITUDE: { vi: "Thái độ cán bộ", en: "Staff attitude" },
    FEEDBACK_HANDLING: { vi: "Xử lý phản ánh", en: "Feedback" },
    ONLINE_SERVICE_QUALITY: { vi: "Dịch vụ trực tuyến", en: "Online service" },
    dossiers: { vi: "Hồ sơ", en: "Dossiers" },
    resultsIssued: { vi: "Đã có kết quả", en: "Results" },
    onTime: { vi: "Đúng hạn", en: "On time" },
    late: { vi: "Quá hạn", en: "Late" },
    onTimeRate: { vi: "Tỷ lệ đúng hạn (%)", en: "On time (%)" },
    openAndLateNow: { vi: "Đang quá hạn", en: "Open and late now" },
    averageWorkingHoursToResult: { vi: "Giờ làm việc đến kết quả (TB)", en: "Working hours to result (avg)" },
    onlineSubmissionRate: { vi: "Nộp trực tuyến (%)", en: "Submitted online (%)" },
    onlinePaymentRate: { vi: "Thanh toán trực tuyến (%)", en: "Paid online (%)" },
    notAllowed: { vi: "Tài khoản này không được xem số liệu tổng hợp.", en: "This account may not read the reports." },
  });

  var auth = HoSo.auth;
  var $ = function (id) { return document.getElementById(id); };
  var reports = { satisfaction: null, timeliness: null };
  var charts = {};

  var show = HoSo.show;

  function query(format) {
    var params = new URLSearchParams({ groupBy: $("groupBy").value, size: "5000" });
    if ($("from").value) { params.set("from", $("from").value); }
    if ($("to").value) { params.set("to", $("to").value); }
    if (format) { params.set("format", format); }
    return params;
  }

  // every page of a report (5,000 groups a page), rows in the API's order
  function report(kind) {
    var rows = [];
    function page(after) {
      var params = query();
      if (after) { params.set("after", after); }
      return auth.call("/api/v1/reports/" + kind + "?" + params).then(function (answer) {
        rows = rows.concat(answer.rows || []);
        if (answer.next) { return page(answer.next); }
        return { groupBy: answer.groupBy, rows: rows, total: answer.total };
      });
    }
    return page(null);
  }

  function load() {
    show("", "");
    return Promise.all([report("satisfaction"), report("timeliness")]).then(function (answers) {
      reports.satisfaction = answers[0];
      reports.timeliness = answers[1];
      render();
    }).catch(function (e) {
      if (e && e.message === "expired") { show("error", HoSo.t("expired")); return; }
      show("error", e && e.body && e.body.status === 403 ? HoSo.t("notAllowed")
        : (e && e.body && e.body.detail) || HoSo.t("failed"));
    });
  }

  function groupName(row) { return row.group === null || row.group === undefined ? HoSo.t("none") : row.group; }

  // a table of these fields per group, then the total; each cell the API's number as it is (the test reads them)
  function table(id, report, fields) {
    var head = $(id).querySelector("thead");
    var body = $(id).querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    var tr = document.createElement("tr");
    [["group", HoSo.t("group")]].concat(fields.map(function (f) { return [f, HoSo.t(f)]; })).forEach(function (c, i) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c[1];
      th.dataset.field = c[0];
      if (i > 0) { th.className = "number"; }
      tr.appendChild(th);
    });
    head.appendChild(tr);
    report.rows.concat([Object.assign({ total: true }, report.total)]).forEach(function (row) {
      var line = document.createElement("tr");
      line.dataset.group = row.total ? "TOTAL" : String(row.group);
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = row.total ? HoSo.t("total") : groupName(row);
      line.appendChild(th);
      fields.forEach(function (f) {
        var td = document.createElement("td");
        td.className = "number";
        td.dataset.field = f;
        td.textContent = row[f] === null || row[f] === undefined ? "" : String(row[f]);
        line.appendChild(td);
      });
      body.appendChild(line);
    });
  }

  function chart(id, option) {
    if (!window.echarts) { return; }
    if (!charts[id]) { charts[id] = window.echarts.init($(id)); }
    // the tooltip drawn in the chart itself: an HTML one would need inline styles, which the pages' policy forbids
    charts[id].setOption(Object.assign({ animation: false, tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 48, right: 16, top: 40, bottom: 56, containLabel: true },
      legend: { top: 0 } }, option), true);
  }

  function render() {
    var s = reports.satisfaction;
    var t = reports.timeliness;
    if (!s || !t) { return; }
    $("satisfaction").hidden = false;
    $("timeliness").hidden = false;
    table("satisfaction-table", s, ["ratings"].concat(LEVELS).concat(["averagePoints"]));
    table("criteria-table", s, CRITERIA);
    table("timeliness-table", t, TIMELINESS);
    var groups = s.rows.map(groupName);
    chart("satisfaction-chart", {
      xAxis: { type: "category", data: groups, axisLabel: { interval: 0, rotate: groups.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: LEVELS.map(function (level) {
        return { name: HoSo.t(level), type: "bar", stack: "levels", data: s.rows.map(function (r) { return r[level]; }) };
      })
    });
    chart("criteria-chart", {
      xAxis: { type: "value", max: 2 },
      yAxis: { type: "category", data: CRITERIA.map(HoSo.t), inverse: true },
      legend: { show: false },
      series: [{ name: HoSo.t("total"), type: "bar", data: CRITERIA.map(function (c) { return s.total[c]; }) }]
    });
    var tgroups = t.rows.map(groupName);
    chart("timeliness-chart", {
      xAxis: { type: "category", data: tgroups, axisLabel: { interval: 0, rotate: tgroups.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: ["onTime", "late", "openAndLateNow"].map(function (f) {
        return { name: HoSo.t(f), type: "bar", data: t.rows.map(function (r) { return r[f]; }) };
      })
    });
  }

  function download(kind, event) {
    event.preventDefault();
    auth.download("/api/v1/reports/" + kind + "?" + query("csv"), kind + "-" + $("groupBy").value + ".csv")
      .catch(function () { show("error", HoSo.t("failed")); });
  }

  function signedIn(yes) {
    $("signed-out").hidden = yes;
    $("sign-out").hidden = !yes;
    $("filters").hidden = !yes;
    if (!yes) { $("satisfaction").hidden = true; $("timeliness").hidden = true; }
  }

  HoSo.onLanguage = render;
  auth.onExpired = function () { signedIn(false); };
  $("sign-in").addEventListener("click", auth.signIn);
  $("sign-out").addEventListener("click", auth.signOut);
  $("filter-form").addEventListener("submit", function (event) { event.preventDefault(); load(); });
  $("satisfaction-csv").addEventListener("click", function (event) { download("satisfaction", event); });
  $("timeliness-csv").addEventListener("click", function (event) { download("timeliness", event); });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
  auth.start().then(function (outcome) {
    signedIn(outcome === "signed-in");
    if (outcome === "not-set-up") { show("error", HoSo.t("noSignIn")); $("sign-in").disabled = true; }
    if (outcome === "failed") { show("error", HoSo.t("signInFailed")); }
    if (outcome === "signed-in") { return load(); }
  }).catch(function () { signedIn(false); show("error", HoSo.t("failed")); });
})(window.HoSo);
