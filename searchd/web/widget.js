/*!
 * accord search widget: an embeddable search box for accord-searchd.
 *
 *   <div id="box"></div>
 *   <script src="http://HOST:PORT/widget.js" data-accord-target="#box"
 *           data-lang="fr" data-placeholder="Search agreements" defer></script>
 *
 * Without data-accord-target the box is inserted right after the script tag
 * (data-accord-auto="false" turns the automatic box off). The API base URL is
 * the folder of this script's own src, so the box works on a page of another
 * origin (accord-searchd must then allow it: --cors). JavaScript:
 *
 *   AccordWidget.mount(elementOrSelector, {base, lang, topic, placeholder, label,
 *                      limit, suggestLimit, debounce, newTab, css, submitUrl,
 *                      onSelect}) -> instance {root, input, search(q), close(), destroy()}
 *
 * No dependencies. Everything from the server is inserted as text, except
 * snippets, which may only carry <mark> tags and are checked before use.
 * WAI-ARIA 1.2 combobox: input role=combobox + listbox of options, keyboard
 * ArrowDown/ArrowUp/Enter/Escape, a polite live region with the counts.
 */
(function (window, document) {
  'use strict';

  var VERSION = '1';
  var instanceCount = 0;

  // ---- where we were loaded from ------------------------------------------------
  function findOwnScript() {
    var s = document.currentScript;
    if (s && s.src) return s;
    var all = document.getElementsByTagName('script');
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/widget\.js(?:[?#]|$)/.test(all[i].src || '')) return all[i];
    }
    return null;
  }
  var ownScript = findOwnScript();

  function baseOf(url) {
    try { return new URL('./', url).href; } catch (e) { return ''; }
  }
  var defaultBase = ownScript ? baseOf(ownScript.src) : baseOf(window.location.href);

  function normBase(b) {
    if (!b) return defaultBase;
    b = String(b);
    try { b = new URL(b, window.location.href).href; } catch (e) { return defaultBase; }
    return b.charAt(b.length - 1) === '/' ? b : b + '/';
  }

  // ---- small helpers -------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  function escapeHtml(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  // accord-searchd sends snippets HTML-escaped with only <mark>/</mark> tags.
  // Check it: once the exact strings "<mark>" and "</mark>" are removed, no '<'
  // or '>' may remain; the text then holds only text, entities and <mark>, and
  // is used as is. Otherwise nothing is trusted: everything is escaped and only
  // the two literal strings are turned back into tags.
  function sanitizeSnippet(s) {
    s = s == null ? '' : String(s);
    if (!/[<>]/.test(s.replace(/<\/?mark>/g, ''))) return s;
    return escapeHtml(s).replace(/&lt;(\/?)mark&gt;/g, '<$1mark>');
  }

  // Only http(s) links from the index are followed (never javascript: & co).
  function safeHttpUrl(u, base) {
    if (u == null || u === '') return '';
    try {
      var p = new URL(String(u), base);
      return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : '';
    } catch (e) {
      return '';
    }
  }

  var langNames = null;
  function langName(code) {
    code = String(code || '');
    if (!code) return '?';
    if (langNames === null) {
      langNames = false;
      try {
        var ui = document.documentElement.lang || navigator.language || 'en';
        if (window.Intl && Intl.DisplayNames) langNames = new Intl.DisplayNames([ui, 'en'], { type: 'language' });
      } catch (e) { langNames = false; }
    }
    var name = '';
    try { name = langNames ? langNames.of(code) : ''; } catch (e) { name = ''; }
    return name && name !== code ? name : code;
  }

  function topicName(t) {
    t = String(t || '');
    var m = /^sdg-0*(\d+)-(.*)$/.exec(t);
    var s = m ? 'SDG ' + m[1] + ': ' + m[2].replace(/-/g, ' ') : t.replace(/-/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function readData(node) {
    var o = {};
    if (!node || !node.getAttribute) return o;
    var map = {
      'data-lang': 'lang', 'data-topic': 'topic', 'data-placeholder': 'placeholder',
      'data-label': 'label', 'data-limit': 'limit', 'data-debounce': 'debounce',
      'data-new-tab': 'newTab', 'data-base': 'base', 'data-submit-url': 'submitUrl'
    };
    for (var k in map) {
      if (Object.prototype.hasOwnProperty.call(map, k) && node.hasAttribute(k)) o[map[k]] = node.getAttribute(k);
    }
    return o;
  }

  function boolOpt(v, dflt) {
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'string') return !/^(0|false|no|off)$/i.test(v.trim());
    return !!v;
  }

  function intOpt(v, dflt, lo, hi) {
    var n = parseInt(v, 10);
    if (!isFinite(n)) return dflt;
    return Math.min(hi, Math.max(lo, n));
  }

  // ---- stylesheet ------------------------------------------------------------------
  function ensureCss(base) {
    var href = base + 'widget.css';
    var links = document.querySelectorAll('link[data-accord-css]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('data-accord-css') === href) return;
    }
    var l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    l.setAttribute('data-accord-css', href);
    (document.head || document.documentElement).appendChild(l);
  }

  // ---- HTTP ------------------------------------------------------------------------
  function getJSON(url, signal) {
    return fetch(url, {
      signal: signal, credentials: 'omit', mode: 'cors',
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) {
        if (!res.ok) {
          var msg = body && body.error && body.error.message ? String(body.error.message)
            : 'HTTP ' + res.status;
          var err = new Error(msg);
          err.status = res.status;
          throw err;
        }
        if (!body || typeof body !== 'object') throw new Error('unreadable response');
        return body;
      });
    });
  }

  function qs(params) {
    var p = new URLSearchParams();
    for (var k in params) {
      if (Object.prototype.hasOwnProperty.call(params, k) && params[k] !== '' && params[k] != null) {
        p.set(k, String(params[k]));
      }
    }
    return p.toString();
  }

  // ---- one search box ------------------------------------------------------------
  function Widget(host, options) {
    var self = this;
    var o = options || {};
    var base = normBase(o.base);
    var limit = intOpt(o.limit, 8, 1, 50);
    var suggestLimit = intOpt(o.suggestLimit, 8, 0, 20);
    var debounceMs = intOpt(o.debounce, 150, 0, 2000);
    var newTab = boolOpt(o.newTab, false);
    var submitUrl = o.submitUrl === false || o.submitUrl === 'false' ? null
      : (typeof o.submitUrl === 'string' && o.submitUrl ? o.submitUrl : base);
    var onSelect = typeof o.onSelect === 'function' ? o.onSelect : null;

    var uid = 'accord-w' + (++instanceCount) + '-' + Math.random().toString(36).slice(2, 8);
    var state = {
      lang: o.lang ? String(o.lang) : '',
      topic: o.topic ? String(o.topic) : '',
      options: [],      // [{el, kind, data}]
      active: -1,
      open: false,
      seq: 0,
      controller: null,
      facetController: null,
      timer: null,
      lastQuery: null,
      total: 0
    };

    if (boolOpt(o.css, true)) ensureCss(base);

    // DOM
    var root = el('div', 'accord-widget');
    root.setAttribute('data-accord-widget', uid);
    var search = el('div', 'accord-search');
    search.setAttribute('role', 'search');

    var label = el('label', 'accord-sr-only', o.label || 'Search agreements');
    label.htmlFor = uid + '-input';
    var field = el('div', 'accord-field');
    var input = el('input', 'accord-input');
    input.type = 'text';
    input.id = uid + '-input';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', uid + '-listbox');
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('spellcheck', 'false');
    input.setAttribute('enterkeyhint', 'search');
    input.dir = 'auto';
    input.placeholder = o.placeholder != null ? String(o.placeholder) : 'Search agreements…';

    var popup = el('div', 'accord-popup');
    popup.hidden = true;
    var listbox = el('div', 'accord-listbox');
    listbox.id = uid + '-listbox';
    listbox.setAttribute('role', 'listbox');
    listbox.setAttribute('aria-label', 'Suggestions and results');
    var info = el('div', 'accord-info');
    popup.appendChild(listbox);
    popup.appendChild(info);
    field.appendChild(input);
    field.appendChild(popup);

    var filters = el('div', 'accord-filters');
    var langLabel = el('label', 'accord-sr-only', 'Language');
    langLabel.htmlFor = uid + '-lang';
    var langSel = el('select', 'accord-select accord-lang');
    langSel.id = uid + '-lang';
    var topicLabel = el('label', 'accord-sr-only', 'Topic');
    topicLabel.htmlFor = uid + '-topic';
    var topicSel = el('select', 'accord-select accord-topic');
    topicSel.id = uid + '-topic';
    filters.appendChild(langLabel);
    filters.appendChild(langSel);
    filters.appendChild(topicLabel);
    filters.appendChild(topicSel);

    var live = el('div', 'accord-sr-only accord-live');
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    live.setAttribute('aria-atomic', 'true');

    search.appendChild(label);
    search.appendChild(field);
    search.appendChild(filters);
    root.appendChild(search);
    root.appendChild(live);

    // ---- filter selects ----
    function fillSelect(sel, values, current, allText, nameOf) {
      var seen = {};
      sel.textContent = '';
      var all = el('option', null, allText);
      all.value = '';
      sel.appendChild(all);
      (values || []).forEach(function (f) {
        if (!f || f.value == null || f.value === '') return;
        var v = String(f.value);
        seen[v] = true;
        var opt = el('option', null, nameOf(v) + ' (' + Number(f.count || 0) + ')');
        opt.value = v;
        sel.appendChild(opt);
      });
      if (current && !seen[current]) {
        var keep = el('option', null, nameOf(current) + ' (0)');
        keep.value = current;
        sel.appendChild(keep);
      }
      sel.value = current || '';
    }
    function applyFacets(facets) {
      if (!facets || typeof facets !== 'object') return;
      if (Array.isArray(facets.lang)) fillSelect(langSel, facets.lang, state.lang, 'All languages', langName);
      if (Array.isArray(facets.topic)) fillSelect(topicSel, facets.topic, state.topic, 'All topics', topicName);
    }
    fillSelect(langSel, [], state.lang, 'All languages', langName);
    fillSelect(topicSel, [], state.topic, 'All topics', topicName);

    // Facet counts for the current (possibly empty) query, without results.
    function refreshFacets() {
      if (state.facetController) state.facetController.abort();
      var ctl = typeof AbortController === 'function' ? new AbortController() : null;
      state.facetController = ctl;
      var url = base + 'search?' + qs({
        q: input.value.trim(), lang: state.lang, topic: state.topic, limit: 0, facets: 'topic,lang'
      });
      getJSON(url, ctl ? ctl.signal : undefined).then(function (data) {
        if (state.facetController !== ctl) return;
        applyFacets(data.facets);
      }, function () { /* keep the lists as they are */ });
    }

    // ---- listbox ----
    function setActive(i) {
      var prev = state.options[state.active];
      if (prev) {
        prev.el.setAttribute('aria-selected', 'false');
        prev.el.classList.remove('accord-option-active');
      }
      state.active = i >= 0 && i < state.options.length ? i : -1;
      var cur = state.options[state.active];
      if (cur) {
        cur.el.setAttribute('aria-selected', 'true');
        cur.el.classList.add('accord-option-active');
        input.setAttribute('aria-activedescendant', cur.el.id);
        if (cur.el.scrollIntoView) cur.el.scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function setOpen(open) {
      state.open = !!open;
      popup.hidden = !state.open;
      input.setAttribute('aria-expanded', state.open && state.options.length ? 'true' : 'false');
      root.classList.toggle('accord-open', state.open);
      if (!state.open) setActive(-1);
    }

    function close() { setOpen(false); }

    function move(delta) {
      var n = state.options.length;
      if (!n) return;
      if (!state.open) setOpen(true);
      var i = state.active + delta;
      if (state.active < 0) i = delta > 0 ? 0 : n - 1;
      else if (i >= n) i = 0;
      else if (i < 0) i = n - 1;
      setActive(i);
    }

    function addOption(group, kind, data, build) {
      var idx = state.options.length;
      var opt = el('div', 'accord-option accord-option-' + kind);
      opt.id = uid + '-opt-' + idx;
      opt.setAttribute('role', 'option');
      opt.setAttribute('aria-selected', 'false');
      build(opt);
      opt.addEventListener('click', function () {
        setActive(idx);
        choose(idx);
      });
      group.appendChild(opt);
      state.options.push({ el: opt, kind: kind, data: data });
      return opt;
    }

    function makeGroup(title) {
      var g = el('div', 'accord-group');
      g.setAttribute('role', 'group');
      var h = el('div', 'accord-group-label', title);
      h.id = uid + '-g' + listbox.children.length;
      h.setAttribute('role', 'presentation');
      g.setAttribute('aria-labelledby', h.id);
      g.appendChild(h);
      listbox.appendChild(g);
      return g;
    }

    function hitMeta(h) {
      var parts = [];
      if (h.lang) parts.push(langName(h.lang));
      if (h.date) parts.push(String(h.date));
      if (h.type) parts.push(String(h.type));
      if (h.article) parts.push(String(h.article));
      return parts.join(' · ');
    }

    function render(q, data, sugg, error) {
      listbox.textContent = '';
      info.textContent = '';
      state.options = [];
      state.active = -1;
      input.removeAttribute('aria-activedescendant');

      var hits = data && Array.isArray(data.hits) ? data.hits : [];
      // suggestions: not the query itself, not a title already among the results
      var shownIds = {};
      hits.forEach(function (h) { if (h && h.id != null) shownIds[String(h.id)] = true; });
      var suggestions = sugg && Array.isArray(sugg.suggestions) ? sugg.suggestions : [];
      var ql = q.toLowerCase();
      suggestions = suggestions.filter(function (s) {
        if (!s || s.text == null || String(s.text) === '' || String(s.text).toLowerCase() === ql) return false;
        return !(s.kind === 'title' && s.id != null && shownIds[String(s.id)]);
      }).slice(0, Math.min(suggestLimit, 6));
      var total = data ? Number(data.total) : 0;
      if (!isFinite(total) || total < hits.length) total = hits.length;
      state.total = total;

      if (suggestions.length) {
        var gs = makeGroup('Suggestions');
        suggestions.forEach(function (s, k) {
          addOption(gs, 'suggestion', s, function (opt) {
            var t = el('span', 'accord-suggestion-text', s.text);
            t.dir = 'auto';
            opt.appendChild(t);
            if (s.kind === 'title') {
              opt.classList.add('accord-suggestion-title');
              opt.appendChild(el('span', 'accord-badge', 'title'));
            }
            opt.setAttribute('data-kind', String(s.kind || 'word'));
            void k;
          });
        });
      }
      if (hits.length) {
        var gr = makeGroup(total > hits.length ? 'Results (' + hits.length + ' of ' + total + ')'
          : 'Results (' + hits.length + ')');
        hits.forEach(function (h) {
          h = h || {};
          addOption(gr, 'result', h, function (opt) {
            var id = opt.id;
            var title = el('span', 'accord-result-title',
              h.title != null && h.title !== '' ? h.title : (h.id || '(untitled)'));
            title.id = id + '-t';
            title.dir = 'auto';
            if (h.lang) title.lang = String(h.lang);
            var meta = el('span', 'accord-result-meta', hitMeta(h));
            meta.id = id + '-m';
            opt.appendChild(title);
            opt.appendChild(meta);
            opt.setAttribute('aria-labelledby', title.id + ' ' + meta.id);
            if (h.lang) opt.setAttribute('data-lang', String(h.lang));
            if (h.id != null) opt.setAttribute('data-id', String(h.id));
            if (h.snippet) {
              var sn = el('span', 'accord-result-snippet');
              sn.id = id + '-s';
              sn.dir = 'auto';
              if (h.lang) sn.lang = String(h.lang);
              sn.innerHTML = sanitizeSnippet(h.snippet);
              opt.appendChild(sn);
              opt.setAttribute('aria-describedby', sn.id);
            }
          });
        });
        if (submitUrl && total > hits.length) {
          var ga = makeGroup('More');
          addOption(ga, 'all', null, function (opt) {
            opt.textContent = 'See all ' + total + ' results';
          });
        }
      }

      var msg;
      if (error) {
        msg = 'Search failed: ' + error;
        info.appendChild(el('p', 'accord-error', msg));
      } else if (!hits.length) {
        msg = 'No results' + (suggestions.length ? '; ' + plural(suggestions.length, 'suggestion', 'suggestions') : '');
        var none = el('p', 'accord-empty', 'No results for “' + q + '”');
        none.dir = 'auto';
        info.appendChild(none);
        if (data && data.suggestion) {
          var dym = el('button', 'accord-dym');
          dym.type = 'button';
          dym.appendChild(document.createTextNode('Did you mean '));
          var dq = el('strong', null, data.suggestion);
          dq.dir = 'auto';
          dym.appendChild(dq);
          dym.appendChild(document.createTextNode('?'));
          dym.addEventListener('mousedown', function (e) { e.preventDefault(); });
          dym.addEventListener('click', function () { self.search(String(data.suggestion)); });
          info.appendChild(dym);
          msg += '. Did you mean ' + data.suggestion + '?';
        }
      } else {
        msg = plural(total, 'result', 'results') + (total > hits.length ? ', ' + hits.length + ' shown' : '') +
          (suggestions.length ? '; ' + plural(suggestions.length, 'suggestion', 'suggestions') : '');
      }
      if (data && data.message && !error) info.appendChild(el('p', 'accord-message', data.message));
      listbox.hidden = !state.options.length;
      live.textContent = msg;
      root.setAttribute('data-accord-total', String(total));
      root.setAttribute('data-accord-query', q);
      setOpen(document.activeElement === input || state.open);
    }

    // ---- searching ----
    function run() {
      clearTimeout(state.timer);
      var q = input.value.trim();
      var my = ++state.seq;
      if (state.controller) state.controller.abort();
      state.controller = null;
      if (!q) {
        state.lastQuery = '';
        listbox.textContent = '';
        info.textContent = '';
        state.options = [];
        live.textContent = '';
        close();
        refreshFacets();
        return;
      }
      var ctl = typeof AbortController === 'function' ? new AbortController() : null;
      state.controller = ctl;
      var signal = ctl ? ctl.signal : undefined;
      root.classList.add('accord-busy');
      var searchUrl = base + 'search?' + qs({
        q: q, lang: state.lang, topic: state.topic, limit: limit, facets: 'topic,lang'
      });
      var pSearch = getJSON(searchUrl, signal).then(
        function (d) { return { ok: d }; },
        function (e) { return { err: e }; });
      var pSuggest = suggestLimit > 0
        ? getJSON(base + 'suggest?' + qs({ q: q, limit: suggestLimit }), signal).then(
          function (d) { return d; }, function () { return null; })
        : Promise.resolve(null);
      Promise.all([pSearch, pSuggest]).then(function (r) {
        if (my !== state.seq) return; // a newer query owns the box now
        state.controller = null;
        root.classList.remove('accord-busy');
        var res = r[0];
        if (res.err && res.err.name === 'AbortError') return;
        state.lastQuery = q;
        if (res.ok) applyFacets(res.ok.facets);
        render(q, res.ok || null, r[1], res.err ? (res.err.message || 'network error') : null);
      });
    }

    function schedule() {
      clearTimeout(state.timer);
      state.timer = setTimeout(run, debounceMs);
    }

    // ---- choosing ----
    function go(url) {
      if (!url) return;
      if (newTab) {
        var w = window.open(url, '_blank', 'noopener');
        if (w) w.opener = null;
      } else {
        window.location.assign(url);
      }
    }

    function docUrl(id) { return base + 'doc/' + encodeURIComponent(String(id)); }

    function searchPageUrl() {
      if (!submitUrl) return '';
      var u;
      try { u = new URL(submitUrl, base); } catch (e) { return ''; }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
      var p = { q: input.value.trim(), lang: state.lang, topic: state.topic };
      for (var k in p) if (p[k]) u.searchParams.set(k, p[k]);
      return u.href;
    }

    function choose(i) {
      var opt = state.options[i];
      if (!opt) return;
      if (opt.kind === 'suggestion') {
        var s = opt.data;
        if (s.kind === 'title' && s.id != null && s.id !== '') {
          close();
          if (onSelect && onSelect({ kind: 'title', id: String(s.id), text: String(s.text) }) === false) return;
          go(docUrl(s.id));
          return;
        }
        input.value = String(s.text);
        try { input.setSelectionRange(input.value.length, input.value.length); } catch (e) { /* ignore */ }
        input.focus();
        run();
        return;
      }
      if (opt.kind === 'result') {
        var h = opt.data;
        var url = safeHttpUrl(h.url, base) || (h.id != null ? docUrl(h.id) : '');
        close();
        if (onSelect && onSelect({ kind: 'result', id: h.id, url: url, hit: h }) === false) return;
        go(url);
        return;
      }
      if (opt.kind === 'all') {
        close();
        go(searchPageUrl());
      }
    }

    function submit() {
      var q = input.value.trim();
      if (!q) return;
      var ev;
      try {
        ev = new CustomEvent('accord:submit', {
          bubbles: true, cancelable: true,
          detail: { query: q, lang: state.lang, topic: state.topic }
        });
      } catch (e) { ev = null; }
      if (ev && !root.dispatchEvent(ev)) return;
      var u = searchPageUrl();
      if (u) { close(); go(u); }
    }

    // ---- events ----
    function onInput() { schedule(); }
    function onKeyDown(e) {
      if (e.isComposing || e.keyCode === 229) return;
      switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (e.altKey) { if (state.options.length) setOpen(true); return; }
        if (!state.options.length && input.value.trim() && state.lastQuery !== input.value.trim()) { run(); return; }
        move(1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (e.altKey) { close(); return; }
        move(-1);
        break;
      case 'Enter':
        e.preventDefault();
        if (state.open && state.active >= 0) choose(state.active);
        else submit();
        break;
      case 'Escape':
        e.preventDefault();
        if (state.open) close();
        else if (input.value) { input.value = ''; run(); }
        break;
      case 'Tab':
        close();
        break;
      default:
        break;
      }
    }
    function onFocus() {
      if (state.options.length || info.childNodes.length) {
        if (input.value.trim() && state.lastQuery === input.value.trim()) setOpen(true);
      }
    }
    function onDocPointer(e) {
      if (state.open && !root.contains(e.target)) close();
    }
    function onFocusOut(e) {
      var to = e.relatedTarget;
      if (to && root.contains(to)) return;
      if (!to) return; // window blur or click on nothing focusable: the pointer handler decides
      close();
    }
    function keepFocus(e) { e.preventDefault(); }
    function onFilter() {
      state.lang = langSel.value;
      state.topic = topicSel.value;
      if (input.value.trim()) {
        run();
        input.focus();
      } else {
        refreshFacets();
      }
    }

    input.addEventListener('input', onInput);
    input.addEventListener('keydown', onKeyDown);
    input.addEventListener('focus', onFocus);
    popup.addEventListener('mousedown', keepFocus);
    root.addEventListener('focusout', onFocusOut);
    langSel.addEventListener('change', onFilter);
    topicSel.addEventListener('change', onFilter);
    document.addEventListener('mousedown', onDocPointer, true);
    document.addEventListener('touchstart', onDocPointer, { capture: true, passive: true });

    host.appendChild(root);
    refreshFacets();

    // ---- public ----
    this.root = root;
    this.input = input;
    this.base = base;
    this.search = function (q) {
      input.value = q == null ? '' : String(q);
      input.focus();
      run();
    };
    this.close = close;
    this.destroy = function () {
      clearTimeout(state.timer);
      if (state.controller) state.controller.abort();
      if (state.facetController) state.facetController.abort();
      document.removeEventListener('mousedown', onDocPointer, true);
      document.removeEventListener('touchstart', onDocPointer, { capture: true });
      if (root.parentNode) root.parentNode.removeChild(root);
      try { delete host.__accordWidget; } catch (e) { host.__accordWidget = undefined; }
    };
  }

  // ---- public API ------------------------------------------------------------------
  function resolve(target) {
    if (!target) return null;
    if (typeof target === 'string') return document.querySelector(target);
    return target.nodeType === 1 ? target : null;
  }

  function mount(target, options) {
    var host = resolve(target);
    if (!host) throw new Error('AccordWidget.mount: no element ' + String(target));
    if (host.__accordWidget) return host.__accordWidget;
    var opts = readData(host);
    var given = options || {};
    for (var k in given) if (Object.prototype.hasOwnProperty.call(given, k) && given[k] !== undefined) opts[k] = given[k];
    var w = new Widget(host, opts);
    host.__accordWidget = w;
    return w;
  }

  var api = window.AccordWidget;
  if (!api || typeof api.mount !== 'function') {
    api = { version: VERSION, mount: mount, sanitizeSnippet: sanitizeSnippet, base: defaultBase };
    window.AccordWidget = api;
  }

  // ---- the box of this script tag ------------------------------------------------
  function autoMount() {
    var s = ownScript;
    if (!s || !boolOpt(s.getAttribute('data-accord-auto'), true)) return;
    var opts = readData(s);
    if (!opts.base) opts.base = defaultBase;
    var target = s.getAttribute('data-accord-target');
    if (target) {
      var hosts;
      try { hosts = document.querySelectorAll(target); } catch (e) { hosts = []; }
      if (!hosts.length && window.console) console.warn('accord widget: no element matches ' + target);
      for (var i = 0; i < hosts.length; i++) mount(hosts[i], opts);
      return;
    }
    var box = document.createElement('div');
    box.className = 'accord-host';
    var parent = s.parentNode;
    if (parent && parent !== document.head && parent !== document.documentElement) {
      parent.insertBefore(box, s.nextSibling);
    } else {
      document.body.appendChild(box);
    }
    mount(box, opts);
  }

  if (ownScript) {
    var needsDom = ownScript.hasAttribute('data-accord-target') || !document.body ||
      ownScript.parentNode === document.head;
    if (needsDom && document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', autoMount);
    } else {
      autoMount();
    }
  }
})(window, document);
