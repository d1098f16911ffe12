/* Saylau embeds that fit (the pattern of Datawrapper's responsive embed and NPR's Pym).
 *
 * One file, two roles:
 * - in an embed's frame (/e/<election>/embed/<chart> inside an iframe): post the content's height to the host page
 *   on load, on resize and whenever the chart redraws; hide the map's region names where the frame is
 *   too narrow for them;
 * - on the host page (the snippet's <script src=".../assets/saylau-embed.js">): resize the frame the
 *   message came from, accepting only messages from this script's own origin and of the expected shape.
 */
(function () {
  "use strict";
  var TYPE = "saylau:embed-height";
  var ASK = "saylau:embed-ask";
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src, window.location.href).origin : window.location.origin;

  /* ---- host page */
  if (!window.__saylauEmbedHost) {
    window.__saylauEmbedHost = true;
    window.addEventListener("message", function (event) {
      if (event.origin !== origin) { return; }
      var msg = event.data;
      if (!msg || typeof msg !== "object" || msg.type !== TYPE) { return; }
      var height = msg.height;
      if (typeof height !== "number" || !isFinite(height) || height < 50 || height > 5000) { return; }
      var frames = document.getElementsByTagName("iframe");
      for (var i = 0; i < frames.length; i++) {
        if (frames[i].contentWindow === event.source) {
          frames[i].style.height = Math.ceil(height) + "px";
          frames[i].setAttribute("height", String(Math.ceil(height)));
        }
      }
    });
    /* a frame may have posted before this script arrived (it loads async): ask each of ours again,
       now and whenever one (re)loads */
    var ask = function (frame) {
      try { frame.contentWindow.postMessage({ type: ASK }, origin); } catch (err) { /* not loaded yet */ }
    };
    var askAll = function () {
      var frames = document.getElementsByTagName("iframe");
      for (var i = 0; i < frames.length; i++) {
        var src = frames[i].getAttribute("src") || "";
        /* /e/<election>/embed/…, or the one-election site's /embed/… (a redirect to 2023's) */
        var path = src.indexOf(origin + "/") === 0 ? src.slice(origin.length) : "";
        if (!/^\/(e\/[^/]+\/)?embed\//.test(path)) { continue; }
        ask(frames[i]);
        if (!frames[i].__saylauAsk) {
          frames[i].__saylauAsk = true;
          frames[i].addEventListener("load", ask.bind(null, frames[i]));
        }
      }
    };
    askAll();
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", askAll); }
    window.addEventListener("load", askAll);
  }

  /* ---- inside an embed's frame */
  if (window.parent === window) { return; }
  var last = 0;
  var pending = false;
  function post() {
    pending = false;
    var page = document.getElementById("page-embed");
    if (!page) { return; }
    document.documentElement.classList.add("embed-fit");
    var labels = page.querySelector("[data-labels-min]");
    if (labels) { toggleLabels(labels); }
    var bottom = 0;
    var shell = document.body.children;
    for (var i = 0; i < shell.length; i++) {
      bottom = Math.max(bottom, shell[i].getBoundingClientRect().bottom + window.scrollY);
    }
    var height = Math.ceil(bottom + parseFloat(getComputedStyle(document.body).marginBottom || "0"));
    if (height > 0 && height !== last) {
      last = height;
      window.parent.postMessage({ type: TYPE, height: height, path: window.location.pathname }, "*");
    }
  }
  function toggleLabels(wrap) {
    var gd = wrap.querySelector(".js-plotly-plot");
    if (!gd || !gd.data || !window.Plotly) { return; }
    var name = wrap.getAttribute("data-labels-trace");
    var show = window.innerWidth >= parseInt(wrap.getAttribute("data-labels-min"), 10);
    for (var i = 0; i < gd.data.length; i++) {
      if (gd.data[i].name === name && (gd.data[i].visible !== false) !== show) {
        window.Plotly.restyle(gd, { visible: show }, [i]);
      }
    }
  }
  function schedule() {
    /* a timer, not requestAnimationFrame: Chromium pauses frames of an offscreen cross-origin iframe,
       and an embed further down an article must fit before the reader scrolls to it */
    if (!pending) { pending = true; window.setTimeout(post, 60); }
  }
  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (event.source === window.parent && msg && typeof msg === "object" && msg.type === ASK) {
      last = 0;
      schedule();
    }
  });
  window.addEventListener("load", schedule);
  window.addEventListener("resize", schedule);
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  if (window.ResizeObserver) { new ResizeObserver(schedule).observe(document.body); }
})();
