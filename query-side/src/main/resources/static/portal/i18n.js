// The portal's two languages: Vietnamese first, English on request (kept for the visit in sessionStorage).
"use strict";
window.HoSo = window.HoSo || {};
(function (HoSo) {
  HoSo.lang = (function () {
    try { return sessionStorage.getItem("hoso.lang") === "en" ? "en" : "vi"; } catch (e) { return "vi"; }
  })();
  // the texts every page shows; each page adds its own
  HoSo.texts = {
    navigation: { vi: "Điều hướng", en: "Navigation" },
    home: { vi: "Trang chủ", en: "Home" },
    failed: { vi: "Hệ thống chưa trả lời được. Hãy thử lại sau ít phút.",
              en: "The service could not answer. Try again in a few minutes." }
  };
  /** A message in the page's #message box ("error" or "info"), or none when text is empty. */
  HoSo.show = function (kind, text) {
    var box = document.getElementById("message");
    box.className = text ? "message " + kind : "";
    box.textContent = text || "";
  };
  HoSo.t = function (key) {
    var entry = HoSo.texts[key];
    return entry ? (entry[HoSo.lang] || entry.vi) : key;
  };
  // every element with data-t gets its text, data-t-placeholder its placeholder, data-t-label its aria-label
  HoSo.translate = function () {
    document.documentElement.lang = HoSo.lang;
    document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = HoSo.t(el.dataset.t); });
    document.querySelectorAll("[data-t-placeholder]").forEach(function (el) {
      el.placeholder = HoSo.t(el.dataset.tPlaceholder);
    });
    document.querySelectorAll("[data-t-label]").forEach(function (el) {
      el.setAttribute("aria-label", HoSo.t(el.dataset.tLabel));
    });
    var toggle = document.getElementById("language");
    if (toggle) {
      toggle.textContent = HoSo.lang === "vi" ? "English" : "Tiếng Việt";
      toggle.lang = HoSo.lang === "vi" ? "en" : "vi";
    }
    if (HoSo.onLanguage) { HoSo.onLanguage(); }
  };
  HoSo.dateText = function (iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleDateString(HoSo.lang === "vi" ? "vi-VN" : "en-GB",
      { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" });
  };
  HoSo.dateTimeText = function (iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleString(HoSo.lang === "vi" ? "vi-VN" : "en-GB",
      { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
        minute: "2-digit" });
  };
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("language");
    if (toggle) {
      toggle.addEventListener("click", function () {
        HoSo.lang = HoSo.lang === "vi" ? "en" : "vi";
        try { sessionStorage.setItem("hoso.lang", HoSo.lang); } catch (e) { /* private mode: this page only */ }
        HoSo.translate();
      });
    }
    HoSo.translate();
  });
})(window.HoSo);
