// Signing a page in at the authorization server: the authorization code flow with PKCE, as the public client. The
// tokens live in this page's memory only (never in storage, cookies or the address); only the PKCE verifier and state
// wait in sessionStorage for the one round trip to the sign-in page. Signing out ends the session there too.
"use strict";
window.HoSo = window.HoSo || {};
(function (HoSo) {
  var auth = { config: null, session: null };
  HoSo.auth = auth;
  Object.assign(HoSo.texts, {
    signIn: { vi: "Đăng nhập", en: "Sign in" },
    signOut: { vi: "Đăng xuất", en: "Sign out" },
    noSignIn: { vi: "Chưa cấu hình đăng nhập cho trang này.", en: "Sign-in is not set up for this page." },
    signInFailed: { vi: "Đăng nhập không thành công. Hãy thử lại.", en: "Signing in failed. Try again." },
    expired: { vi: "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.", en: "Your session ended. Sign in again." }
  });

  function base64url(bytes) {
    var text = "";
    bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function here() { return location.origin + location.pathname; }

  auth.signIn = function () {
    var verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    var state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)).then(function (digest) {
      sessionStorage.setItem("hoso.pkce", JSON.stringify({ verifier: verifier, state: state }));
      location.assign(auth.config.authorizationServer + "/oauth2/authorize?" + new URLSearchParams({
        response_type: "code", client_id: auth.config.clientId, redirect_uri: here(), scope: "openid",
        state: state, code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: "S256" }));
    });
  };

  function redeem(code, state) {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem("hoso.pkce") || "null"); } catch (e) { saved = null; }
    sessionStorage.removeItem("hoso.pkce");
    history.replaceState(null, "", location.pathname); // the code leaves the address at once
    if (!saved || saved.state !== state) { return Promise.reject(new Error("state")); }
    return fetch(auth.config.authorizationServer + "/oauth2/token", {
      method: "POST", credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: code, redirect_uri: here(),
        client_id: auth.config.clientId, code_verifier: saved.verifier })
    }).then(function (response) {
      if (!response.ok) { throw new Error("token " + response.status); }
      return response.json();
    }).then(function (tokens) {
      var claims = JSON.parse(atob(tokens.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      auth.session = { access: tokens.access_token, id: tokens.id_token, sub: claims.sub, role: claims.role };
    });
  }

  auth.signOut = function () {
    var idToken = auth.session ? auth.session.id : null;
    auth.session = null;
    var query = { post_logout_redirect_uri: here(), client_id: auth.config.clientId };
    if (idToken) { query.id_token_hint = idToken; }
    location.assign(auth.config.authorizationServer + "/connect/logout?" + new URLSearchParams(query));
  };

  /** A call with the token; a 401 ends the session (onExpired is told), another refusal rejects with its problem. */
  auth.call = function (url, options, raw) {
    options = options || {};
    options.headers = Object.assign({ "Authorization": "Bearer " + auth.session.access,
      "Accept": raw ? "*/*" : "application/json", "Accept-Language": HoSo.lang }, options.headers || {});
    options.credentials = "omit";
    options.cache = "no-store";
    return fetch(url, options).then(function (response) {
      if (response.status === 401) {
        auth.session = null;
        if (auth.onExpired) { auth.onExpired(); }
        throw new Error("expired");
      }
      if (raw && response.ok) { return response; }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { var e = new Error(body.detail || response.status); e.body = body; throw e; }
        return body;
      });
    });
  };

  /** Downloads what a call with the token answers (a CSV report) as a file of this name. */
  auth.download = function (url, filename) {
    return auth.call(url, {}, true).then(function (response) {
      return response.blob();
    }).then(function (blob) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
  };

  /**
   * Reads the pages' settings, and finishes a sign-in coming back with a code: resolves to "signed-in",
   * "signed-out", "not-set-up" or "failed".
   */
  auth.start = function () {
    return fetch("/portal/config.json", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (config) {
        auth.config = config;
        if (!config.authorizationServer) { return "not-set-up"; }
        var params = new URLSearchParams(location.search);
        if (params.get("code")) {
          return redeem(params.get("code"), params.get("state")).then(function () { return "signed-in"; },
            function () { return "failed"; });
        }
        history.replaceState(null, "", location.pathname);
        return "signed-out";
      });
  };
})(window.HoSo);
