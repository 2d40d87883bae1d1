/* HAUFO web chat: one script tag, no framework.
 *   <script src="https://bot.example.org/chat/widget.js" data-lang="en" async></script>
 * data-lang: the visitor's language (else the browser's); data-open: start opened.
 * Every text is inserted as text, never as HTML. The conversation lives on the server; this page keeps only
 * the visitor's token (localStorage), so a reload, a new tab or tomorrow shows the history. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"]');
  if (!script || window.__haufoChat) return;
  window.__haufoChat = true;
  var base = new URL(script.src, location.href).origin;
  var api = base + "/chat/api/";
  var STORE = "haufo-chat-token";
  var lang = script.getAttribute("data-lang") || navigator.language || "en";
  var token = null, key = null, lastId = 0, strings = {}, stream = null, polling = null, shown = {};
  var root, panel, log, form, input, status, launcher;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function s(name, values) {
    var text = strings[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function storedToken() {
    try { return localStorage.getItem(STORE); } catch (e) { return null; }
  }

  function keepToken(value) {
    try { localStorage.setItem(STORE, value); } catch (e) { /* private mode: this tab only */ }
  }

  function post(path, body) {
    var headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    return fetch(api + path, { method: "POST", headers: headers, body: JSON.stringify(body), credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
  }

  function absolute(url) {
    return new URL(url, base).href;
  }

  function say(message) {
    status.textContent = message;
  }

  function chosen(group, label) {
    group.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    group.appendChild(el("span", { class: "hc-sr" }, s("chose", { label: label })));
  }

  function draw(entry) {
    if (shown[entry.id]) return;
    shown[entry.id] = true;
    lastId = Math.max(lastId, entry.id);
    var mine = entry.from === "user";
    var item = el("div", { class: "hc-msg hc-" + (mine ? "user" : "bot"), "data-from": mine ? "user" : "bot",
                           "data-id": String(entry.id) });
    item.appendChild(el("span", { class: "hc-sr" }, (mine ? s("you") : "HAUFO") + ": "));
    item.appendChild(el("p", { class: "hc-text" }, entry.text || ""));
    if (entry.image) {
      item.appendChild(el("img", { src: absolute(entry.image), alt: entry.text ? entry.text.split("\n")[0] : "" }));
    }
    if (entry.venue) {
      var place = el("p", { class: "hc-venue" }, "📍 " + entry.venue.title + ", " + entry.venue.address + " ");
      place.appendChild(el("a", { href: entry.venue.url, target: "_blank", rel: "noopener" }, s("map")));
      item.appendChild(place);
    }
    (entry.buttons || []).forEach(function (row) {
      var group = el("div", { class: "hc-buttons", role: "group" });
      row.forEach(function (button) {
        if (button.url) {
          group.appendChild(el("a", { class: "hc-link", href: absolute(button.url), target: "_blank",
                                      rel: "noopener" }, button.label));
          return;
        }
        var press = el("button", { type: "button", class: "hc-button" }, button.label);
        press.addEventListener("click", function () {
          chosen(group, button.label);
          send({ payload: button.payload, label: button.label });
        });
        group.appendChild(press);
      });
      item.appendChild(group);
    });
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function send(message) {
    message.id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, "");
    message.lang = lang;
    var attempt = function (left) {
      return post("send", message).catch(function () {
        if (left > 0) return new Promise(function (r) { setTimeout(r, 1500); }).then(function () { return attempt(left - 1); });
        say(s("lost"));
      });
    };
    return attempt(3);  // the same id each time: the server handles it once
  }

  function listen() {
    if (stream) stream.close();
    if (!window.EventSource) return poll();
    stream = new EventSource(api + "stream?key=" + encodeURIComponent(key) + "&after=" + lastId);
    stream.addEventListener("message", function (event) { draw(JSON.parse(event.data)); });
    stream.addEventListener("open", function () {
      if (status.textContent === s("lost")) say(s("restored"));
    });
    stream.addEventListener("error", function () {
      say(s("lost"));
      if (stream.readyState === EventSource.CLOSED) {  // refused (the key lapsed): a new session, then on
        setTimeout(start, 3000);
      }
    });
    setTimeout(function () { if (stream && stream.readyState !== EventSource.OPEN && !polling) poll(); }, 10000);
  }

  function poll() {  // for proxies that break streaming
    if (polling) return;
    polling = setInterval(function () {
      fetch(api + "poll?key=" + encodeURIComponent(key) + "&after=" + lastId, { credentials: "omit" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (entries) { entries.forEach(draw); })
        .catch(function () { say(s("lost")); });
    }, 2000);
  }

  function start() {
    token = token || storedToken();
    return post("session", { token: token, lang: lang }).then(function (session) {
      token = session.token;
      keepToken(token);
      key = session.key;
      lang = session.lang;
      strings = session.strings;
      label();
      session.history.forEach(draw);
      listen();
    }).catch(function () { say(s("lost")); setTimeout(start, 5000); });
  }

  function label() {
    launcher.setAttribute("aria-label", s("open"));
    panel.setAttribute("aria-label", s("title"));
    root.querySelector(".hc-title").textContent = s("title");
    root.querySelector(".hc-close").setAttribute("aria-label", s("close"));
    root.querySelector(".hc-clear").textContent = s("clear");
    root.querySelector(".hc-link-app").setAttribute("aria-label", s("link"));
    root.querySelector(".hc-link-app").setAttribute("title", s("link"));
    log.setAttribute("aria-label", s("log"));
    root.querySelector("label").textContent = s("input");
    input.setAttribute("placeholder", s("placeholder"));
    root.querySelector(".hc-send").textContent = s("send");
  }

  function open(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (focus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function build() {
    var style = el("style");
    style.textContent = CSS;
    document.head.appendChild(style);
    root = el("div", { class: "hc-root", lang: lang });
    launcher = el("button", { type: "button", class: "hc-launcher", "aria-expanded": "false", "aria-controls": "hc-panel" }, "💬");
    panel = el("section", { id: "hc-panel", class: "hc-panel", role: "dialog" });
    panel.hidden = true;
    var head = el("div", { class: "hc-head" });
    head.appendChild(el("h2", { class: "hc-title" }, "HAUFO"));
    var link = el("button", { type: "button", class: "hc-link-app" }, "📲");
    var clear = el("button", { type: "button", class: "hc-clear" }, "Clear");
    var shut = el("button", { type: "button", class: "hc-close" }, "✕");
    head.appendChild(link);
    head.appendChild(clear);
    head.appendChild(shut);
    log = el("div", { class: "hc-log", role: "log", "aria-live": "polite", tabindex: "0" });
    status = el("p", { class: "hc-status", role: "status" });
    form = el("form", { class: "hc-form" });
    form.appendChild(el("label", { for: "hc-input", class: "hc-sr" }, "Message"));
    input = el("input", { id: "hc-input", type: "text", autocomplete: "off", maxlength: "4096" });
    form.appendChild(input);
    form.appendChild(el("button", { type: "submit", class: "hc-send" }, "Send"));
    [head, log, status, form].forEach(function (part) { panel.appendChild(part); });
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);
    launcher.addEventListener("click", function () { if (panel.hidden) open(true); else close(); });
    shut.addEventListener("click", close);
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      send({ text: text });
    });
    link.addEventListener("click", function () { send({ payload: "link", label: link.getAttribute("aria-label") }); });
    clear.addEventListener("click", function () {
      post("clear", {}).then(function () {
        log.textContent = "";
        shown = {};
        say(s("cleared"));
      });
    });
    if (script.hasAttribute("data-open")) open(false);
  }

  var CSS = [
    ".hc-root{position:fixed;right:1.25rem;bottom:1.25rem;z-index:2147483000;font:16px/1.45 system-ui,sans-serif}",
    ".hc-launcher{width:3.5rem;height:3.5rem;border-radius:50%;border:0;background:#0b4f8a;color:#fff;font-size:1.5rem;cursor:pointer;float:right}",
    ".hc-panel{width:min(24rem,calc(100vw - 2.5rem));height:min(36rem,calc(100vh - 6rem));margin-bottom:.75rem;background:#fff;color:#1a1a1a;border:1px solid #6b6b6b;border-radius:.75rem;display:flex;flex-direction:column;box-shadow:0 .5rem 2rem rgba(0,0,0,.25)}",
    ".hc-panel[hidden]{display:none}",
    ".hc-head{display:flex;align-items:center;gap:.5rem;padding:.5rem .75rem;background:#0b4f8a;color:#fff;border-radius:.75rem .75rem 0 0}",
    ".hc-title{flex:1;margin:0;font-size:1rem}",
    ".hc-head button{background:transparent;color:#fff;border:1px solid #fff;border-radius:.375rem;padding:.25rem .5rem;cursor:pointer}",
    ".hc-log{flex:1;overflow-y:auto;padding:.75rem;display:flex;flex-direction:column;gap:.5rem}",
    ".hc-msg{max-width:85%;padding:.5rem .75rem;border-radius:.75rem}",
    ".hc-bot{background:#eef2f6;align-self:flex-start}",
    ".hc-user{background:#0b4f8a;color:#fff;align-self:flex-end}",
    ".hc-text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".hc-msg img{max-width:100%;margin-top:.5rem}",
    ".hc-buttons{display:flex;flex-wrap:wrap;gap:.375rem;margin-top:.5rem}",
    ".hc-button,.hc-link{border:1px solid #0b4f8a;background:#fff;color:#0b4f8a;border-radius:1rem;padding:.25rem .75rem;font:inherit;font-size:.9rem;cursor:pointer;text-decoration:none}",
    ".hc-button:disabled{color:#4d4d4d;border-color:#8c8c8c;cursor:default}",
    ".hc-venue a{color:#0b4f8a}",
    ".hc-status{margin:0;padding:0 .75rem;font-size:.85rem;color:#4d4d4d;min-height:1.2em}",
    ".hc-form{display:flex;gap:.5rem;padding:.75rem;border-top:1px solid #d0d0d0}",
    ".hc-form input{flex:1;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:.375rem}",
    ".hc-send{font:inherit;background:#0b4f8a;color:#fff;border:0;border-radius:.375rem;padding:.5rem .875rem;cursor:pointer}",
    ".hc-root :focus-visible{outline:3px solid #d97706;outline-offset:2px}",
    ".hc-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("\n");

  function boot() { build(); start(); }
  if (document.body) boot(); else document.addEventListener("DOMContentLoaded", boot);
})();
