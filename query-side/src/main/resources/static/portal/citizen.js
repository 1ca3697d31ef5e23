// A citizen's page: sign in at the authorization server (authorization code with PKCE, as the public client), list my
// dossiers, read one's history and what is asked of me, rate a returned one, sign out (at the authorization server
// too). The tokens live in this page's memory only: never in storage, never in the address. Only the PKCE verifier and
// state wait in sessionStorage for the one round trip to the sign-in page.
"use strict";
(function (HoSo) {
  var CRITERIA = [
    ["TOTAL_TIME_AGAINST_LIMIT", "Thời gian giải quyết so với quy định", "Total time against the limit"],
    ["TIME_AT_EACH_UNIT", "Thời gian tại từng đơn vị", "Time at each unit"],
    ["NUMBER_OF_CONTACTS", "Số lần phải liên hệ", "Number of contacts needed"],
    ["NUMBER_OF_AGENCIES_CONTACTED", "Số cơ quan phải liên hệ", "Number of agencies contacted"],
    ["HANDLED_AT_ONE_STOP_DESK", "Giải quyết tại bộ phận một cửa", "Handled at the one-stop desk"],
    ["PROCEDURE_PUBLISHED", "Thủ tục được công khai", "Procedure published"],
    ["STAFF_ATTITUDE", "Thái độ của cán bộ", "Staff attitude"],
    ["FEEDBACK_HANDLING", "Tiếp nhận, xử lý phản ánh", "Handling of feedback"],
    ["ONLINE_SERVICE_QUALITY", "Chất lượng dịch vụ trực tuyến", "Quality of the online service"]];
  var STATUS_EN = { SUBMITTED: "Submitted", RECEIVED: "Received", INTAKE_REFUSED: "Not accepted",
    PROCESSING: "Being processed", SUPPLEMENT_REQUESTED: "Supplement requested", PAYMENT_REQUESTED: "Fees to be paid",
    WITHDRAWN: "Withdrawn", STOPPED: "Processing stopped", RESULT_READY: "Result ready",
    RESULT_RETURNED: "Result returned" };
  var STATUS_VI = { SUBMITTED: "Mới đăng ký", RECEIVED: "Đã tiếp nhận", INTAKE_REFUSED: "Không tiếp nhận",
    PROCESSING: "Đang xử lý", SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung", PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    WITHDRAWN: "Công dân yêu cầu rút", STOPPED: "Dừng xử lý", RESULT_READY: "Đã xử lý xong",
    RESULT_RETURNED: "Đã trả kết quả" };
  Object.assign(HoSo.texts, {
    title: { vi: "Hồ sơ của tôi", en: "My dossiers" },
    welcome: { vi: "Theo dõi hồ sơ của bạn", en: "Follow your dossiers" },
    signInHint: { vi: "Đăng nhập để xem các hồ sơ bạn đã nộp, tiến độ xử lý và những việc cần bạn làm.",
                  en: "Sign in to see the dossiers you submitted, how far they are, and what is asked of you." },
    myDossiers: { vi: "Hồ sơ của tôi", en: "My dossiers" },
    noDossiers: { vi: "Bạn chưa có hồ sơ nào.", en: "You have no dossiers yet." },
    code: { vi: "Mã hồ sơ", en: "Dossier code" },
    procedure: { vi: "Thủ tục", en: "Procedure" },
    status: { vi: "Trạng thái", en: "Status" },
    due: { vi: "Hẹn trả", en: "Due" },
    open: { vi: "Xem hồ sơ", en: "Open" },
    notReceived: { vi: "(chưa tiếp nhận)", en: "(not received yet)" },
    late: { vi: "Quá hạn", en: "Late" },
    paused: { vi: "Tạm dừng", en: "Paused" },
    askedOfYou: { vi: "Việc cần bạn làm", en: "What is asked of you" },
    supplement: { vi: "Bổ sung các giấy tờ sau trước ngày {0}:", en: "Supply the following by {0}:" },
    payment: { vi: "Nộp phí, lệ phí qua nền tảng thanh toán (cổng thanh toán quốc gia hoặc tại quầy): {0}.",
               en: "Pay the fees through the payment platform (the national payment gateway or at the desk): {0}." },
    history: { vi: "Quá trình xử lý", en: "History" },
    rateHeading: { vi: "Đánh giá mức độ hài lòng", en: "Rate your satisfaction" },
    level: { vi: "Mức độ hài lòng chung", en: "Overall satisfaction" },
    VERY_SATISFIED: { vi: "Rất hài lòng", en: "Very satisfied" },
    SATISFIED: { vi: "Hài lòng", en: "Satisfied" },
    DISSATISFIED: { vi: "Không hài lòng", en: "Dissatisfied" },
    points: { vi: "{0} điểm", en: "{0} points" },
    send: { vi: "Gửi đánh giá", en: "Send the rating" },
    rated: { vi: "Cảm ơn bạn đã đánh giá.", en: "Thank you for your rating." },
  });
  CRITERIA.forEach(function (c) { HoSo.texts["criterion." + c[0]] = { vi: c[1], en: c[2] }; });

  var auth = HoSo.auth;
  var config = null;
  var session = null; // the signed-in session (HoSo.auth's, in memory only)
  var dossiers = [];
  var current = null;
  var $ = function (id) { return document.getElementById(id); };

  var show = HoSo.show;
  function format(key, value) { return HoSo.t(key).replace("{0}", value); }
  function statusText(status) { return (HoSo.lang === "en" ? STATUS_EN : STATUS_VI)[status] || status; }
  function call(url, options) { return auth.call(url, options); }

  function loadDossiers() {
    return call("/api/v1/my/dossiers?size=100").then(function (page) {
      dossiers = page.items || [];
      renderDossiers();
    });
  }

  function renderDossiers() {
    var rows = $("dossier-rows");
    rows.textContent = "";
    dossiers.forEach(function (d) {
      var tr = document.createElement("tr");
      var codeCell = document.createElement("td");
      var open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.dataset.dossier = d.dossierId;
      open.textContent = d.dossierCode || HoSo.t("notReceived");
      open.setAttribute("aria-label", HoSo.t("open") + " " + (d.dossierCode || d.procedureName));
      open.addEventListener("click", function () { openDossier(d.dossierId); });
      codeCell.appendChild(open);
      tr.appendChild(codeCell);
      [d.procedureName, statusText(d.status) + (d.late ? " · " + HoSo.t("late") : "")
        + (d.paused ? " · " + HoSo.t("paused") : ""), d.dueAt ? HoSo.dateText(d.dueAt) : "-"]
        .forEach(function (text, i) {
          var td = document.createElement("td");
          td.textContent = text;
          if (i === 2) { td.className = "nowrap"; }
          tr.appendChild(td);
        });
      rows.appendChild(tr);
    });
    $("no-dossiers").hidden = dossiers.length > 0;
  }

  function openDossier(id, minVersion) {
    var path = "/api/v1/dossiers/" + encodeURIComponent(id) + "/timeline" + (minVersion ? "?minVersion=" + minVersion : "");
    return call(path).then(function (timeline) {
      current = timeline;
      renderDossier();
      $("dossier").hidden = false;
      $("dossier-heading").focus();
    }).catch(failed);
  }

  function renderDossier() {
    var t = current;
    if (!t) { return; }
    $("dossier-heading").textContent = (t.dossierCode || HoSo.t("notReceived")) + " — " + (t.procedureName || "");
    $("d-status").textContent = statusText(t.status);
    $("d-due").textContent = t.dueAt ? HoSo.dateTimeText(t.dueAt) : "-";
    var badges = $("dossier-badges");
    badges.textContent = "";
    var paused = t.status === "SUPPLEMENT_REQUESTED" || t.status === "PAYMENT_REQUESTED";
    [["late", t.lateNow], ["paused", paused]].forEach(function (b) {
      if (b[1]) {
        var span = document.createElement("span");
        span.className = "badge " + b[0];
        span.textContent = HoSo.t(b[0]);
        badges.appendChild(span);
      }
    });
    var steps = $("steps");
    steps.textContent = "";
    (t.steps || []).forEach(function (s) {
      var li = document.createElement("li");
      li.dataset.event = s.event;
      li.textContent = HoSo.dateTimeText(s.occurredAt) + ": " + (HoSo.lang === "en" ? s.labelEn : s.labelVi);
      steps.appendChild(li);
    });
    // what is asked of me: the latest step says it (a supplement and its reply-by date, fees to pay)
    var last = (t.steps || [])[(t.steps || []).length - 1];
    var asked = $("asked");
    $("asked-items").textContent = "";
    asked.hidden = true;
    if (last && t.status === "SUPPLEMENT_REQUESTED") {
      $("asked-text").textContent = format("supplement", last.replyBy || "-");
      (last.missingItems || []).forEach(function (item) {
        var li = document.createElement("li"); li.textContent = item; $("asked-items").appendChild(li);
      });
      asked.hidden = false;
    } else if (last && t.status === "PAYMENT_REQUESTED") {
      $("asked-text").textContent = format("payment", HoSo.lang === "en" ? last.labelEn : last.labelVi);
      asked.hidden = false;
    }
    var rated = (t.steps || []).some(function (s) { return s.event === "DossierRated"; });
    $("rating").hidden = !(config.commandApi && session && t.ownerId === session.sub && !rated
      && (t.status === "RESULT_RETURNED" || t.status === "INTAKE_REFUSED"));
  }

  function buildCriteria() {
    var box = $("criteria");
    CRITERIA.forEach(function (c) {
      var label = document.createElement("label");
      label.htmlFor = "criterion-" + c[0];
      label.dataset.t = "criterion." + c[0];
      var select = document.createElement("select");
      select.id = "criterion-" + c[0];
      select.name = c[0];
      [2, 1, 0].forEach(function (points) {
        var option = document.createElement("option");
        option.value = String(points);
        option.dataset.points = String(points);
        select.appendChild(option);
      });
      box.appendChild(label);
      box.appendChild(select);
    });
  }

  function rate(event) {
    event.preventDefault();
    var criteria = {};
    CRITERIA.forEach(function (c) { criteria[c[0]] = Number($("criterion-" + c[0]).value); });
    $("rate").disabled = true;
    call(config.commandApi + "/api/v1/dossiers/" + encodeURIComponent(current.dossierId) + "/rating", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ level: $("level").value, criteria: criteria })
    }).then(function (answer) {
      show("info", HoSo.t("rated"));
      return openDossier(current.dossierId, answer.version);
    }).catch(failed).finally(function () { $("rate").disabled = false; });
  }

  function failed(e) {
    if (e && e.message === "expired") { show("error", HoSo.t("expired")); return; }
    show("error", (e && e.body && e.body.detail) || HoSo.t("failed"));
  }

  function render() {
    var signedIn = session !== null;
    $("signed-out").hidden = signedIn;
    $("sign-out").hidden = !signedIn;
    $("dossiers").hidden = !signedIn;
    if (!signedIn) { $("dossier").hidden = true; current = null; }
  }

  HoSo.onLanguage = function () {
    document.querySelectorAll("option[data-points]").forEach(function (o) {
      o.textContent = format("points", o.dataset.points);
    });
    if (session) { renderDossiers(); renderDossier(); }
  };

  buildCriteria();
  auth.onExpired = function () { session = null; render(); };
  $("sign-in").addEventListener("click", auth.signIn);
  $("sign-out").addEventListener("click", function () { session = null; auth.signOut(); });
  $("rating").addEventListener("submit", rate);
  auth.start().then(function (outcome) {
    config = auth.config;
    session = auth.session;
    render();
    if (outcome === "not-set-up") { show("error", HoSo.t("noSignIn")); $("sign-in").disabled = true; }
    if (outcome === "failed") { show("error", HoSo.t("signInFailed")); }
    if (outcome === "signed-in") { return loadDossiers().catch(failed); }
  }).catch(function () { render(); show("error", HoSo.t("failed")); });
})(window.HoSo);
