// Injected into every page by benchmarks/interaction.py (Playwright's add_init_script): times
// one interaction from the reader's click to the last chart drawn, and records what the time
// went to. Nothing here changes what the app does; it only watches.
//
// window.__interaction.arm(charts) before the action; the first click/change/input event after
// it starts the clock (its own event.timeStamp, so Playwright's latency is not counted). Done
// is the second animation frame in a row on which: a callback request has been made since the
// click, none is in flight (its body read), Dash has no callback pending (store.isLoading),
// no component is marked loading, and at least `charts` plots are drawn.
(() => {
  'use strict';
  const UPDATE = '_dash-update-component';
  const QUIET_FRAMES = 2;
  let current = null;
  let inflight = 0;

  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    if (!url.includes(UPDATE)) {
      return nativeFetch.apply(window, arguments);
    }
    const record = {start: performance.now(), headers: null, end: null, bytes: 0, output: ''};
    try {
      record.output = JSON.parse(init.body).output;
    } catch (_error) { /* not ours to judge */ }
    if (current) {
      current.requests.push(record);
    }
    inflight += 1;
    const done = () => {
      if (record.end === null) {
        record.end = performance.now();
        inflight -= 1;
      }
    };
    return nativeFetch.apply(window, arguments).then((response) => {
      record.headers = performance.now();
      // In flight until the body is in: Dash reads its own copy at the same time.
      response.clone().arrayBuffer().then((body) => {
        record.bytes = body.byteLength;
        done();
      }, done);
      return response;
    }, (error) => {
      done();
      throw error;
    });
  };

  // Plotly.react is what dcc.Graph calls for every figure; its promise settles when drawn.
  function watchPlotly() {
    const plotly = window.Plotly;
    if (!plotly || plotly.__interactionWatched) {
      return;
    }
    for (const name of ['react', 'newPlot']) {
      const original = plotly[name];
      plotly[name] = function () {
        const draw = {name, start: performance.now(), end: null};
        if (current) {
          current.draws.push(draw);
        }
        const finish = () => { draw.end = performance.now(); };
        const result = original.apply(this, arguments);
        Promise.resolve(result).then(finish, finish);
        return result;
      };
    }
    plotly.__interactionWatched = true;
  }

  // Dash's store (Redux) updates from the click to done: the actions that reach its reducer,
  // each of which has every component on the page run its selector again (react-redux
  // notifies them through the store's subscribers). Their number, with the page's component
  // count, is Dash's bookkeeping for the interaction, counted rather than timed: the same on
  // a busy machine, where the clock wanders by 20 % and more.
  function watchStore() {
    const store = window.store;
    if (!store || store.__interactionWatched) {
      return;
    }
    store.subscribe(() => {
      if (current && current.start !== null && current.end === null) {
        current.dispatches += 1;
      }
    });
    store.__interactionWatched = true;
  }

  // Dash components in the page's layout: objects with a namespace and a type.
  function components(node) {
    if (Array.isArray(node)) {
      return node.reduce((n, child) => n + components(child), 0);
    }
    if (!node || typeof node !== 'object') {
      return 0;
    }
    const own = node.namespace && node.type ? 1 : 0;
    const props = own ? node.props || {} : node;
    return own + Object.keys(props).reduce((n, key) => n + components(props[key]), 0);
  }

  // Main-thread tasks over 50 ms: where the time before the first request goes.
  try {
    new PerformanceObserver((list) => {
      if (current) {
        for (const entry of list.getEntries()) {
          current.longTasks.push({start: entry.startTime, duration: entry.duration});
        }
      }
    }).observe({type: 'longtask', buffered: false});
  } catch (_error) { /* longtask unsupported: the breakdown goes without it */ }

  function quiet() {
    const store = window.store;
    const loading = store && store.getState().isLoading;
    return current.requests.length > 0 && inflight === 0 && !loading
      && !document.querySelector('[data-dash-is-loading="true"]')
      && document.querySelectorAll('.js-plotly-plot .main-svg').length >= current.charts;
  }

  function frame() {
    if (!current || current.end !== null) {
      return;
    }
    current.quietFrames = quiet() ? current.quietFrames + 1 : 0;
    if (current.quietFrames >= QUIET_FRAMES) {
      current.end = performance.now();
      return;
    }
    requestAnimationFrame(frame);
  }

  function start(event) {
    if (current && current.armed && current.start === null) {
      current.start = event.timeStamp;
      current.trigger = event.type;
      requestAnimationFrame(frame);
    }
  }
  for (const type of ['click', 'input', 'change']) {
    window.addEventListener(type, start, {capture: true});
  }

  window.__interaction = {
    arm(charts) {
      watchPlotly();
      watchStore();
      performance.clearResourceTimings();  // the buffer holds 250 entries
      current = {armed: true, charts, start: null, end: null, trigger: null, quietFrames: 0,
                 requests: [], draws: [], longTasks: [], dispatches: 0};
    },
    done() {
      return current !== null && current.end !== null;
    },
    result() {
      // The network's view of each callback request (Resource Timing): when its answer was
      // in, however busy the page's main thread was then. The fetch records above end when
      // the page got round to reading the body.
      const network = performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes(UPDATE) && entry.startTime >= current.start)
        .map((entry) => ({start: entry.startTime, end: entry.responseEnd,
                          waiting: entry.responseStart - entry.requestStart}));
      const layout = window.store ? window.store.getState().layout : null;
      return Object.assign({}, current, {network, components: components(layout)});
    },
  };
})();
