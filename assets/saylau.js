/* Saylau: URL state and the language switch, without reloading the page.
 *
 * - Controls write their state into the query string with history.replaceState (no Dash event), so
 *   the view is always shareable but changing a map mode does not re-render the page.
 * - Language links (<a data-lang>) keep the current query and switch language in place: pushState,
 *   then the event dcc.Location listens to, so Dash Pages re-renders the page in the new language.
 */
(function () {
  "use strict";

  function urlWith(params) {
    var url = new URL(window.location.href);
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (v === null || v === undefined || v === "") {
        url.searchParams.delete(k);
      } else {
        url.searchParams.set(k, String(v));
      }
    });
    return url.pathname + url.search + url.hash;
  }

  function setQuery(params) {
    var next = urlWith(params);
    var now = window.location.pathname + window.location.search + window.location.hash;
    if (next !== now) {
      window.history.replaceState(window.history.state, "", next);
    }
  }

  function navigate(href) {
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }

  function langLink(target) {
    return target && target.closest ? target.closest("a[data-lang]") : null;
  }

  function refreshHref(e) {
    var a = langLink(e.target);
    if (a) {
      a.setAttribute("href", urlWith({lang: a.getAttribute("data-lang")}));
    }
  }

  ["mousedown", "focusin", "contextmenu", "touchstart", "mouseover"].forEach(function (type) {
    document.addEventListener(type, refreshHref, {passive: true});
  });

  /* language links and in-app links (<a data-spa>) navigate without reloading the page */
  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    var a = langLink(e.target);
    if (a) {
      e.preventDefault();
      navigate(urlWith({lang: a.getAttribute("data-lang")}));
      return;
    }
    var link = e.target && e.target.closest ? e.target.closest("a[data-spa]") : null;
    if (link && link.origin === window.location.origin) {
      e.preventDefault();
      navigate(link.pathname + link.search + link.hash);
      window.scrollTo(0, 0);
    }
  });

  window.saylau = {setQuery: setQuery, navigate: navigate, urlWith: urlWith};

  var no_update = function () {
    return window.dash_clientside.no_update;
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    saylau: {
      setHtmlLang: function (search) {
        var lang = new URLSearchParams(search || "").get("lang");
        if (["kk", "ru", "en"].indexOf(lang) < 0) {
          lang = "kk";
        }
        document.documentElement.setAttribute("lang", lang);
        return "";
      },
      newVersion: function (latest, current) {
        if (latest === null || latest === undefined || latest === current) {
          return no_update();
        }
        /* let dcc.Location catch up with a query written by replaceState before the page re-renders */
        window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
        return latest;
      }
    }
  });
})();
