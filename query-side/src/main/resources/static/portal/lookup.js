// The public status lookup: the code and secret printed on a receipt, no account. Nothing is kept in the page's
// address or storage; the answer holds nothing personal.
"use strict";
(function (HoSo) {
  Object.assign(HoSo.texts, {
    title: { vi: "Tra cứu tình trạng hồ sơ", en: "Dossier status lookup" },
    formHeading: { vi: "Nhập mã hồ sơ và mã tra cứu trên giấy tiếp nhận",
                   en: "Enter the dossier code and lookup secret printed on the receipt" },
    codeLabel: { vi: "Mã hồ sơ", en: "Dossier code" },
    codeHint: { vi: "Ví dụ: 000.00.01.H22-260302-0001", en: "For example: 000.00.01.H22-260302-0001" },
    secretLabel: { vi: "Mã tra cứu", en: "Lookup secret" },
    secretHint: { vi: "16 chữ và số, ví dụ 7K3M-QX9D-2B8F-WN4T",
                  en: "16 letters and digits, for example 7K3M-QX9D-2B8F-WN4T" },
    submit: { vi: "Tra cứu", en: "Look up" },
    resultHeading: { vi: "Tình trạng hồ sơ", en: "Where the dossier stands" },
    code: { vi: "Mã hồ sơ", en: "Dossier code" },
    procedure: { vi: "Thủ tục", en: "Procedure" },
    agency: { vi: "Cơ quan", en: "Agency" },
    status: { vi: "Trạng thái", en: "Status" },
    received: { vi: "Ngày tiếp nhận", en: "Received on" },
    due: { vi: "Hẹn trả kết quả", en: "Result due" },
    provisional: { vi: " (tạm tính)", en: " (provisional)" },
    late: { vi: "Quá hạn", en: "Late" },
    paused: { vi: "Tạm dừng, chờ bổ sung hoặc nộp phí", en: "Paused: a supplement or a fee is awaited" },
    ready: { vi: "Đã có kết quả, mời nhận", en: "Result ready to collect" },
    finished: { vi: "Đã kết thúc", en: "Finished" },
    needBoth: { vi: "Hãy nhập cả mã hồ sơ và mã tra cứu.", en: "Enter both the dossier code and the lookup secret." },
    noMatch: { vi: "Không có hồ sơ nào khớp với mã hồ sơ và mã tra cứu này. Hãy kiểm tra lại cả hai trên giấy tiếp nhận.",
               en: "No dossier matches this code and lookup secret. Check both against the receipt." },
    limited: { vi: "Có quá nhiều lượt tra cứu. Hãy thử lại sau {0} giây.",
               en: "Too many lookups. Try again in {0} seconds." },
  });
  var last = null;

  var show = HoSo.show;

  function render() {
    if (!last) { return; }
    var r = last;
    document.getElementById("r-code").textContent = r.dossierCode;
    document.getElementById("r-procedure").textContent = (r.procedureName || "") + " (" + r.procedureCode + ")";
    document.getElementById("r-agency").textContent = r.agencyCode;
    document.getElementById("r-status").textContent = HoSo.lang === "en" ? r.statusEn : r.statusVi;
    document.getElementById("r-received").textContent = HoSo.dateTimeText(r.receivedAt);
    document.getElementById("r-due").textContent = r.dueAt
      ? HoSo.dateTimeText(r.dueAt) + (r.dueAtProvisional ? HoSo.t("provisional") : "") : "-";
    var badges = document.getElementById("badges");
    badges.textContent = "";
    [["late", r.late], ["paused", r.paused], ["ready", r.resultReady], ["finished", r.finished]]
      .forEach(function (b) {
        if (b[1]) {
          var span = document.createElement("span");
          span.className = "badge " + b[0];
          span.dataset.flag = b[0];
          span.textContent = HoSo.t(b[0]);
          badges.appendChild(span);
        }
      });
    document.getElementById("result").hidden = false;
  }
  HoSo.onLanguage = render;

  document.getElementById("lookup").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = document.getElementById("dossierCode").value.trim();
    var secret = document.getElementById("secret").value.trim();
    document.getElementById("result").hidden = true;
    last = null;
    if (!code || !secret) {
      show("error", HoSo.t("needBoth"));
      return;
    }
    show("info", "…");
    fetch("/api/v1/public/dossier-status", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "Accept-Language": HoSo.lang },
      body: JSON.stringify({ dossierCode: code, secret: secret }),
      credentials: "omit", cache: "no-store"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          last = body;
          show("info", "");
          render();
          document.getElementById("result-heading").focus();
        } else if (response.status === 429) {
          show("error", HoSo.t("limited").replace("{0}", response.headers.get("Retry-After") || "60"));
        } else if (response.status === 404) {
          show("error", HoSo.t("noMatch"));
        } else if (response.status === 400) {
          show("error", body.errors && body.errors.length ? body.detail + " (" + body.errors[0].field + ")"
            : (body.detail || HoSo.t("failed")));
        } else {
          show("error", HoSo.t("failed"));
        }
      });
    }).catch(function () { show("error", HoSo.t("failed")); });
  });
  document.getElementById("result-heading").tabIndex = -1;
})(window.HoSo);
