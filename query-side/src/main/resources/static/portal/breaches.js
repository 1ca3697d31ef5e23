// The inspectors' breach lists: the dossiers in one kind of breach of a time rule, filtered by agency, procedure and
// submission period, page after page with the exact total, and the CSV of every row. Dossiers by id and code only:
// the API never names an applicant.
"use strict";
(function (HoSo) {
  var KINDS = [
    ["LATE_NOW", "Đang quá hạn", "Late now"],
    ["RESULT_LATE", "Trả kết quả quá hạn", "Result late"],
    ["EXTENDED", "Đã gia hạn", "Deadline extended"],
    ["PAUSED_PAST_REPLY_BY", "Tạm dừng quá hạn bổ sung", "Paused past the reply-by date"],
    ["REPEATED_SUPPLEMENT_REQUEST", "Yêu cầu bổ sung nhiều lần", "Supplement requested more than once"],
    ["LATE_REPORT", "Báo cáo muộn", "Reported late"],
    ["RESULT_RECORDED_LATE", "Kết quả ghi nhận muộn", "Result recorded late"]];
  var COLUMNS = ["dossierCode", "agencyCode", "procedureCode", "status", "submittedAt", "receivedAt",
    "statutoryDueAt", "dueAt", "resultIssuedAt", "supplementRequests", "replyBy", "reportLatenessMinutes", "lateNow"];
  Object.assign(HoSo.texts, {
    title: { vi: "Hồ sơ vi phạm thời hạn", en: "Breaches of the time rules" },
    welcome: { vi: "Dành cho thanh tra", en: "For inspectors" },
    signInHint: { vi: "Đăng nhập bằng tài khoản thanh tra để xem các hồ sơ vi phạm thời hạn.",
                  en: "Sign in with an inspector's account to see the dossiers that breached a time rule." },
    filters: { vi: "Bộ lọc", en: "Filters" },
    kind: { vi: "Loại vi phạm", en: "Kind of breach" },
    agency: { vi: "Mã cơ quan (không bắt buộc)", en: "Agency code (optional)" },
    procedure: { vi: "Mã thủ tục (không bắt buộc)", en: "Procedure code (optional)" },
    from: { vi: "Nộp từ ngày", en: "Submitted from" },
    to: { vi: "Đến ngày", en: "To" },
    apply: { vi: "Xem danh sách", en: "Show the list" },
    list: { vi: "Danh sách", en: "List" },
    total: { vi: "Tổng số: {0} hồ sơ", en: "In all: {0} dossiers" },
    more: { vi: "Xem thêm", en: "More" },
    csv: { vi: "Tải về CSV", en: "Download CSV" },
    dossierCode: { vi: "Mã hồ sơ", en: "Code" }, agencyCode: { vi: "Cơ quan", en: "Agency" },
    procedureCode: { vi: "Thủ tục", en: "Procedure" }, status: { vi: "Trạng thái", en: "Status" },
    submittedAt: { vi: "Nộp", en: "Submitted" }, receivedAt: { vi: "Tiếp nhận", en: "Received" },
    statutoryDueAt: { vi: "Hạn theo quy định", en: "Statutory due" }, dueAt: { vi: "Hẹn trả", en: "Due" },
    resultIssuedAt: { vi: "Có kết quả", en: "Result" }, supplementRequests: { vi: "Lần bổ sung", en: "Supplements" },
    replyBy: { vi: "Hạn bổ sung", en: "Reply by" }, reportLatenessMinutes: { vi: "Báo cáo muộn (phút)",
      en: "Reported late (min)" }, lateNow: { vi: "Đang quá hạn", en: "Late now" },
    yes: { vi: "Có", en: "Yes" }, no: { vi: "Không", en: "No" },
    notAllowed: { vi: "Chỉ thanh tra được xem danh sách này.", en: "Only inspectors may read these lists." },
  });
  KINDS.forEach(function (k) { HoSo.texts["kind." + k[0]] = { vi: k[1], en: k[2] }; });

  var auth = HoSo.auth;
  var $ = function (id) { return document.getElementById(id); };
  var items = [];
  var total = 0;
  var next = null;

  var show = HoSo.show;

  function query(format, after) {
    var params = new URLSearchParams({ kind: $("kind").value, size: "100" });
    ["agency", "procedure", "from", "to"].forEach(function (f) {
      if ($(f).value.trim()) { params.set(f, $(f).value.trim()); }
    });
    if (format) { params.set("format", format); }
    if (after) { params.set("after", after); }
    return params;
  }

  function load(after) {
    show("", "");
    return auth.call("/api/v1/audit/breaches?" + query(null, after)).then(function (page) {
      items = after ? items.concat(page.items || []) : (page.items || []);
      total = page.total;
      next = page.next || null;
      render();
    }).catch(function (e) {
      if (e && e.message === "expired") { show("error", HoSo.t("expired")); return; }
      show("error", e && e.body && e.body.status === 403 ? HoSo.t("notAllowed")
        : (e && e.body && e.body.detail) || HoSo.t("failed"));
    });
  }

  function cell(column, value) {
    if (value === null || value === undefined) { return ""; }
    if (column === "lateNow") { return value ? HoSo.t("yes") : HoSo.t("no"); }
    if (/At$/.test(column)) { return HoSo.dateTimeText(value); }
    return String(value);
  }

  function render() {
    $("list").hidden = false;
    $("total").textContent = HoSo.t("total").replace("{0}", String(total));
    $("total").dataset.total = String(total);
    var head = $("breach-table").querySelector("thead");
    var body = $("breach-table").querySelector("tbody");
    head.textContent = "";
    body.textContent = "";
    var tr = document.createElement("tr");
    COLUMNS.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = HoSo.t(c);
      tr.appendChild(th);
    });
    head.appendChild(tr);
    items.forEach(function (item) {
      var row = document.createElement("tr");
      row.dataset.dossier = item.dossierId;
      COLUMNS.forEach(function (c) {
        var td = document.createElement("td");
        td.dataset.field = c;
        td.textContent = cell(c, item[c]);
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    $("more").hidden = !next;
  }

  function download(event) {
    event.preventDefault();
    auth.download("/api/v1/audit/breaches?" + query("csv"), "breaches-" + $("kind").value + ".csv")
      .catch(function () { show("error", HoSo.t("failed")); });
  }

  function kinds() {
    var select = $("kind");
    var chosen = select.value;
    select.textContent = "";
    KINDS.forEach(function (k) {
      var option = document.createElement("option");
      option.value = k[0];
      option.textContent = HoSo.t("kind." + k[0]);
      select.appendChild(option);
    });
    if (chosen) { select.value = chosen; }
  }

  function signedIn(yes) {
    $("signed-out").hidden = yes;
    $("sign-out").hidden = !yes;
    $("filters").hidden = !yes;
    if (!yes) { $("list").hidden = true; }
  }

  HoSo.onLanguage = function () { kinds(); if (!$("list").hidden) { render(); } };
  auth.onExpired = function () { signedIn(false); };
  kinds();
  $("sign-in").addEventListener("click", auth.signIn);
  $("sign-out").addEventListener("click", auth.signOut);
  $("filter-form").addEventListener("submit", function (event) { event.preventDefault(); load(null); });
  $("more").addEventListener("click", function () { load(next); });
  $("csv").addEventListener("click", download);
  auth.start().then(function (outcome) {
    signedIn(outcome === "signed-in");
    if (outcome === "not-set-up") { show("error", HoSo.t("noSignIn")); $("sign-in").disabled = true; }
    if (outcome === "failed") { show("error", HoSo.t("signInFailed")); }
  }).catch(function () { signedIn(false); show("error", HoSo.t("failed")); });
})(window.HoSo);
