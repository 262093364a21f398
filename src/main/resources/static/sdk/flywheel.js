/*
 * Flywheel browser snippet: page views with UTM and referrer, track, identify, alias; batching,
 * sendBeacon when the page is hidden, retry with back-off. Speaks Segment's tracking API.
 *
 *   <script src="https://YOUR-FLYWHEEL/sdk/flywheel.js" data-write-key="wk_..." defer></script>
 *   flywheel.track('Signed Up', {plan: 'pro'}); flywheel.identify('user-42', {email: '...'});
 *
 * Options (data attributes or flywheel.load(writeKey, options)): host (default: where this script
 * came from), autoPage (default true), flushInterval ms (default 1000), batchSize (default 20).
 */
(function (window, document) {
  'use strict';
  if (window.flywheel && window.flywheel.loaded) {
    return;
  }
  var VERSION = '1.0.0';
  var QUEUE_KEY = 'fw_queue';
  var MAX_QUEUE = 500;
  // browsers refuse keepalive requests whose bodies add up to more than 64 KiB
  var KEEPALIVE_BYTES = 60000;
  var state = { writeKey: null, host: '', autoPage: true, interval: 1000, batchSize: 20, queue: [], timer: null,
    backoff: 0, sending: false };
  var pending = (window.flywheel && window.flywheel.q) || [];

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0;
      return (c === 'x' ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }

  function store(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, value); }
    } catch (e) { /* private mode: memory only */ }
  }

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function cookie(name, value) {
    if (value === undefined) {
      var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
      return match ? decodeURIComponent(match[1]) : null;
    }
    var secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = name + '=' + encodeURIComponent(value) + '; Max-Age=31536000; Path=/; SameSite=Lax' + secure;
  }

  function anonymousId() {
    var id = cookie('fw_aid') || load('fw_aid');
    if (!id) {
      id = uuid();
    }
    cookie('fw_aid', id);
    store('fw_aid', id);
    return id;
  }

  function campaign() {
    var params = new URLSearchParams(window.location.search);
    var names = { utm_source: 'source', utm_medium: 'medium', utm_campaign: 'name', utm_term: 'term', utm_content: 'content' };
    var result = null;
    Object.keys(names).forEach(function (param) {
      var value = params.get(param);
      if (value) {
        result = result || {};
        result[names[param]] = value;
      }
    });
    return result;
  }

  function context() {
    var ctx = {
      library: { name: 'flywheel.js', version: VERSION },
      locale: navigator.language,
      userAgent: navigator.userAgent,
      page: { url: window.location.href, path: window.location.pathname, search: window.location.search,
        referrer: document.referrer, title: document.title },
      screen: { width: window.screen.width, height: window.screen.height }
    };
    var utm = campaign();
    if (utm) {
      ctx.campaign = utm;
    }
    return ctx;
  }

  function enqueue(message) {
    message.messageId = uuid();
    message.timestamp = new Date().toISOString();
    message.anonymousId = anonymousId();
    var userId = load('fw_uid');
    if (userId && !message.userId) {
      message.userId = userId;
    }
    message.context = context();
    state.queue.push(message);
    if (state.queue.length > MAX_QUEUE) {
      state.queue.splice(0, state.queue.length - MAX_QUEUE);
    }
    persist();
    if (state.queue.length >= state.batchSize) {
      flush();
    } else {
      schedule(state.interval);
    }
  }

  function persist() {
    store(QUEUE_KEY, state.queue.length ? JSON.stringify(state.queue) : null);
  }

  function schedule(delay) {
    if (!state.timer) {
      state.timer = window.setTimeout(function () { state.timer = null; flush(); }, delay);
    }
  }

  function body(messages) {
    return JSON.stringify({ batch: messages, sentAt: new Date().toISOString(), writeKey: state.writeKey });
  }

  function flush() {
    if (state.sending || !state.queue.length || !state.writeKey) {
      return;
    }
    var messages = state.queue.slice(0, 100);
    var payload = body(messages);
    state.sending = true;
    // text/plain keeps this a "simple" cross-origin request: no preflight. A bigger body goes without
    // keepalive (which would fail it on every retry); the queue in localStorage covers the page closing.
    fetch(state.host + '/v1/batch', { method: 'POST', body: payload, keepalive: new Blob([payload]).size <= KEEPALIVE_BYTES,
      headers: { 'Content-Type': 'text/plain' } })
      .then(function (response) {
        if (response.status >= 500 || response.status === 429) {
          throw new Error('retry ' + response.status);
        }
        // 2xx, or a 4xx that retrying will not fix: either way these messages are done
        state.queue.splice(0, messages.length);
        persist();
        state.backoff = 0;
      })
      .catch(function () {
        state.backoff = Math.min(state.backoff ? state.backoff * 2 : 1000, 60000);
      })
      .then(function () {
        state.sending = false;
        if (state.queue.length) {
          schedule(state.backoff || state.interval);
        }
      });
  }

  function beacon() {
    if (!state.queue.length || !state.writeKey || !navigator.sendBeacon) {
      return;
    }
    var messages = state.queue.slice(0, 100);
    if (navigator.sendBeacon(state.host + '/v1/batch', new Blob([body(messages)], { type: 'text/plain' }))) {
      state.queue.splice(0, messages.length);
      persist();
    }
  }

  var api = {
    loaded: true,
    VERSION: VERSION,
    load: function (writeKey, options) {
      options = options || {};
      state.writeKey = writeKey;
      state.host = (options.host || state.host || '').replace(/\/$/, '');
      state.autoPage = options.autoPage !== false && options.autoPage !== 'false';
      state.interval = Number(options.flushInterval) || state.interval;
      state.batchSize = Number(options.batchSize) || state.batchSize;
      var saved = load(QUEUE_KEY);
      if (saved) {
        try { state.queue = JSON.parse(saved).concat(state.queue); } catch (e) { store(QUEUE_KEY, null); }
      }
      if (state.autoPage) {
        api.page();
      }
      schedule(0);
    },
    page: function (name, properties) {
      var props = properties || {};
      props.url = props.url || window.location.href;
      props.path = props.path || window.location.pathname;
      props.referrer = props.referrer || document.referrer;
      props.title = props.title || document.title;
      enqueue({ type: 'page', name: name, properties: props });
    },
    track: function (event, properties) {
      enqueue({ type: 'track', event: event, properties: properties || {} });
    },
    identify: function (userId, traits) {
      if (userId) {
        store('fw_uid', String(userId));
      }
      enqueue({ type: 'identify', userId: userId ? String(userId) : undefined, traits: traits || {} });
    },
    alias: function (userId, previousId) {
      enqueue({ type: 'alias', userId: String(userId), previousId: String(previousId || load('fw_uid') || anonymousId()) });
    },
    reset: function () {
      store('fw_uid', null);
      store('fw_aid', null);
      cookie('fw_aid', uuid());
    },
    flush: flush,
    anonymousId: anonymousId
  };
  window.flywheel = api;

  window.addEventListener('pagehide', beacon);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      beacon();
    }
  });

  var script = document.currentScript;
  if (script && script.src) {
    state.host = new URL(script.src, window.location.href).origin;
  }
  if (script && script.dataset.writeKey) {
    api.load(script.dataset.writeKey, { host: script.dataset.host, autoPage: script.dataset.autoPage,
      flushInterval: script.dataset.flushInterval, batchSize: script.dataset.batchSize });
  }
  pending.forEach(function (call) {
    api[call[0]].apply(api, call.slice(1));
  });
})(window, document);
