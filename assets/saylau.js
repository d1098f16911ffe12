/* Saylau: URL state and the language switch, without reloading the page.
 *
 * - Controls write their state into the query string with history.replaceState (no Dash event), so
 *   the view is always shareable but changing a map mode does not re-render the page.
 * - Language links (<a data-lang>) keep the current query and switch language in place: pushState,
 *   then the event dcc.Location listens to, so Dash Pages re-renders the page in the new language.
 */
(function () {
  "use strict";

  /* A page's content that the server could not draw yet (every drawing slot busy: 503 with Retry-After,
   * dashboard/web/missgate.py) is asked for again after the time it names, up to three times, instead of
   * leaving the page blank. Only Dash's callbacks; any other answer passes through untouched. */
  var RETRIES = 3;
  var plainFetch = window.fetch.bind(window);
  function retryDelay(resp, attempt) {
    var seconds = parseFloat(resp.headers.get("Retry-After"));
    if (!(seconds >= 0)) { seconds = 2; }
    return (Math.min(seconds, 10) + Math.random() * attempt) * 1000;
  }
  function fetchRetrying(input, init, attempt) {
    return plainFetch(input, init).then(function (resp) {
      if (resp.status !== 503 || attempt >= RETRIES || !resp.headers.get("Retry-After")) { return resp; }
      return new Promise(function (done) {
        window.setTimeout(function () { done(fetchRetrying(input, init, attempt + 1)); }, retryDelay(resp, attempt + 1));
      });
    });
  }
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    var post = init && init.method && init.method.toUpperCase() === "POST";
    if (post && url.indexOf("_dash-update-component") !== -1) { return fetchRetrying(input, init, 0); }
    return plainFetch(input, init);
  };

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

  /* Sliders (dcc.Slider has no aria props): a wrapper <div data-aria-labelledby="label-id"
   * data-value-texts='["10:10", …]'> gives its thumb (role="slider") an accessible name and a spoken
   * value ("18:10", not the index 4). */
  function labelSliders() {
    document.querySelectorAll("[data-aria-labelledby]").forEach(function (wrap) {
      var texts = [];
      try {
        texts = JSON.parse(wrap.getAttribute("data-value-texts") || "[]");
      } catch (err) {
        texts = [];
      }
      wrap.querySelectorAll("[role=slider]").forEach(function (thumb) {
        var label = wrap.getAttribute("data-aria-labelledby");
        if (thumb.getAttribute("aria-labelledby") !== label) {
          thumb.setAttribute("aria-labelledby", label);
        }
        var text = texts[Number(thumb.getAttribute("aria-valuenow"))];
        if (text !== undefined && thumb.getAttribute("aria-valuetext") !== text) {
          thumb.setAttribute("aria-valuetext", text);
        }
      });
    });
  }

  var sliderTimer = null;
  new MutationObserver(function () {
    if (sliderTimer === null) {
      sliderTimer = window.setTimeout(function () {
        sliderTimer = null;
        labelSliders();
        absoluteEmbeds();
      }, 50);
    }
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-valuenow", "data-value-texts", "data-embed-path"]
  });

  /* "Embed this chart": the server writes the iframe's src as a path; give it this site's origin. */
  function absoluteEmbeds() {
    document.querySelectorAll("textarea[data-embed-path]").forEach(function (box) {
      var path = box.getAttribute("data-embed-path");
      var src = window.location.origin + path;
      if (box.getAttribute("data-embed-src") === src) {
        return;
      }
      var title = (box.getAttribute("data-embed-title") || "").replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
      var safe = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
      var height = box.getAttribute("data-embed-height") || "480";
      var script = (window.location.origin + (box.getAttribute("data-embed-script") || "/assets/saylau-embed.js"))
        .replace(/&/g, "&amp;").replace(/"/g, "&quot;");
      box.value = '<iframe src="' + safe + '" width="100%" height="' + height + '" style="border:0" title="' +
        title + '" loading="lazy" data-saylau-embed=""></iframe><script src="' + script + '" async></script>';
      box.setAttribute("data-embed-src", src);
    });
  }

  /* The "Copy" button next to an embed snippet: the clipboard API, else select-and-copy. */
  document.addEventListener("click", function (e) {
    var button = e.target && e.target.closest ? e.target.closest("button[data-copy-target]") : null;
    if (!button) { return; }
    absoluteEmbeds();
    var box = document.getElementById(button.getAttribute("data-copy-target"));
    if (!box) { return; }
    var status = button.parentNode.querySelector(".embed-copied");
    var done = function () { if (status) { status.textContent = "\u2713"; } };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(done, function () { box.select(); });
    } else {
      box.select();
      try { if (document.execCommand("copy")) { done(); } } catch (err) { /* the text stays selected */ }
    }
  });

  document.addEventListener("focusin", function (e) {
    if (e.target && e.target.matches && e.target.matches("textarea[data-embed-path]")) {
      absoluteEmbeds();
      e.target.select();
    }
  });

  /* Live pages: poll the status of the page's own election, /e/<id>/status.json, every POLL_MS plus a
   * random 0-JITTER_MS (so open pages do not all ask at the same instant), not while the tab is hidden.
   * On a new version of that election, set the shell's data-version store ({election, version}): Dash
   * re-renders the page and the shell from that version in place (the URL,
   * including a query written by replaceState, is kept), and the live region says "Updated HH:MM:SS (UTC+6)"
   * with the time the server accepted the version, on election day's clock. */
  function statusUrl(election) {
    return "/e/" + encodeURIComponent(election) + "/status.json";
  }
  var POLL_MS = 2000; /* + jitter: noticed within 3 s of the status naming it (nginx keeps the status 1 s) */
  var JITTER_MS = 1000;
  var live = {version: undefined, election: null, labels: null, etag: null, timer: null, busy: false,
              updatedAt: null};

  function schedule(ms) {
    window.clearTimeout(live.timer);
    live.timer = window.setTimeout(poll, ms);
  }

  function nextPoll() {
    schedule(POLL_MS + Math.random() * JITTER_MS);
  }

  /* The election the address names (/e/<id>/…), or null (the front page: the one data-version names).
   * A page that moved to another election in place (a link Dash routed, the back button) follows that
   * election's status from its next poll: its version is then unknown (-1) until the status says. */
  function pageElection() {
    var m = /^\/e\/([^/]+)/.exec(window.location.pathname);
    return m ? decodeURIComponent(m[1]) : null;
  }

  function followPageElection() {
    var election = pageElection();
    if (election && election !== live.election) {
      live.election = election;
      live.etag = null;
      live.version = -1;
    }
  }

  function poll() {
    live.timer = null;
    if (document.hidden) {
      return; /* visibilitychange polls again */
    }
    followPageElection();
    if (live.busy || !live.election) {
      nextPoll();
      return;
    }
    live.busy = true;
    var headers = live.etag ? {"If-None-Match": live.etag} : {};
    fetch(statusUrl(live.election), {cache: "no-cache", headers: headers, credentials: "same-origin"})
      .then(function (r) {
        if (r.status === 304 || !r.ok) {
          return null; /* unchanged, or a failure: try again at the next tick */
        }
        live.etag = r.headers.get("ETag") || live.etag;
        return r.json();
      })
      .then(function (st) {
        if (st) {
          newVersion(st);
        }
      })
      .catch(function () {
        return null;
      })
      .then(function () {
        live.busy = false;
        nextPoll();
      });
  }

  function newVersion(st) {
    if (typeof st.version !== "number" || live.version === undefined || st.version === live.version ||
        st.election !== live.election) {
      return;
    }
    var set = window.dash_clientside && window.dash_clientside.set_props;
    if (!set) {
      return;
    }
    var switched = live.version === -1; /* another election's page, not a new version: nothing to announce */
    live.version = st.version;
    /* let dcc.Location catch up with a query written by replaceState before the page re-renders */
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    set("data-version", {data: {election: live.election, version: st.version}});
    live.updatedAt = typeof st.updated === "string" ? st.updated : null;
    if (!switched) {
      announce();
    }
  }

  /* "HH:MM:SS (UTC+6)" of the server's ISO time on election day's clock (labels.offset_minutes, from the
   * server): the footer and this line show one clock, whatever zone the reader's device is set to. */
  function electionClock(iso, labels) {
    var ms = Date.parse(iso);
    if (!iso || isNaN(ms) || typeof labels.offset_minutes !== "number") {
      return null;
    }
    var shifted = new Date(ms + labels.offset_minutes * 60000);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var hms = pad(shifted.getUTCHours()) + ":" + pad(shifted.getUTCMinutes()) + ":" + pad(shifted.getUTCSeconds());
    return hms + (labels.zone ? " (" + labels.zone + ")" : "");
  }

  function announce() {
    var set = window.dash_clientside && window.dash_clientside.set_props;
    if (!live.updatedAt || !set) {
      return;
    }
    var labels = live.labels || {};
    var time = electionClock(live.updatedAt, labels);
    if (time === null) {
      return; /* the server did not say when: no time is better than the device's own clock */
    }
    set("live-status", {children: (labels.updated || "Updated {time}").replace("{time}", time)});
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(live.timer);
      live.timer = null;
    } else if (live.version !== undefined) {
      schedule(Math.random() * JITTER_MS);
    }
  });

  /* An embed frozen at a version (/e/<id>/embed/<chart>?v=N) never changes: nothing to poll for. */
  function frozenEmbed() {
    return /^\/e\/[^/]+\/embed\//.test(window.location.pathname) &&
      /^\d+$/.test(new URLSearchParams(window.location.search).get("v") || "");
  }

  /* Dash tells the poller which election and version the page shows ({election, version}) and the
   * page's language (clientside callback) */
  function watchVersion(shown, labels) {
    var started = live.version !== undefined;
    var relabel = labels && live.labels && labels.lang !== live.labels.lang;
    var version = shown && typeof shown === "object" ? shown.version : shown;
    var election = shown && typeof shown === "object" ? shown.election : null;
    if (election && election !== live.election) {
      live.etag = null; /* another election's status: its own ETag */
      live.election = election;
    }
    live.version = version;
    live.labels = labels || live.labels;
    if (relabel) {
      announce();
    }
    if (!started && version !== undefined && !frozenEmbed()) {
      nextPoll();
    }
    return window.dash_clientside.no_update;
  }

  window.saylau = {
    setQuery: setQuery,
    navigate: navigate,
    urlWith: urlWith,
    labelSliders: labelSliders,
    absoluteEmbeds: absoluteEmbeds,
    live: live,
    electionClock: electionClock
  };

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    saylau: {
      setHtmlLang: function (search) {
        var lang = (new URLSearchParams(search || "").get("lang") || "").trim().toLowerCase();
        if (["kk", "ru", "en"].indexOf(lang) < 0) {
          lang = "kk";
        }
        document.documentElement.setAttribute("lang", lang);
        return "";
      },
      watchVersion: watchVersion
    }
  });
})();
