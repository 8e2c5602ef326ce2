// UPM risk desk: plain JavaScript, no build step, no library. Reads the service's JSON API and its WebSocket
// stream; draws the risk matrices (SVG heatmaps) and the equity/MM chart (SVG polyline) by hand.
'use strict';
(function () {
  const state = { key: null, accounts: new Map(), index: new Map(), sort: { by: 'marginRatio', desc: true },
    selected: null, lastSeq: -1, ws: null, retry: 500, refreshPending: false };
  const $ = (id) => document.getElementById(id);
  const fmt = (x, d) => x === null || x === undefined ? 'n/a'
    : Number(x).toLocaleString('en-US', { minimumFractionDigits: d ?? 0, maximumFractionDigits: d ?? 0 });
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  function keyFromHash() {
    const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : null;
  }

  async function api(path, options) {
    const res = await fetch(path, Object.assign({}, options, {
      headers: Object.assign({ 'Authorization': 'Bearer ' + state.key, 'Content-Type': 'application/json' },
        (options || {}).headers)
    }));
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e = new Error((body.error && (body.error.field ? body.error.field + ': ' : '') + body.error.message) || res.status);
      e.status = res.status;
      throw e;
    }
    return body;
  }

  // ---- accounts -------------------------------------------------------------------------------------------
  function renderAccounts() {
    const rows = [...state.accounts.values()];
    const { by, desc } = state.sort;
    const order = { healthy: 0, restricted: 1, liquidation: 2, bankrupt: 3 };
    rows.sort((a, b) => {
      let x = a[by], y = b[by];
      if (by === 'status') { x = order[x]; y = order[y]; }
      if (by === 'marginRatio') { x = x ?? Infinity; y = y ?? Infinity; }
      const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
      return (desc ? -c : c) || a.account.localeCompare(b.account);
    });
    $('accounts').tBodies[0].innerHTML = rows.map((a) =>
      `<tr data-account="${esc(a.account)}" class="${a.account === state.selected ? 'sel' : ''}">` +
      `<td>${esc(a.account)}</td><td><span class="status ${a.status}">${a.status}</span></td>` +
      `<td class="num" data-field="marginRatio">${a.marginRatio === null ? 'n/a' : fmt(a.marginRatio * 100, 1) + '%'}</td>` +
      `<td class="num" data-field="equity" data-value="${a.equity}">${fmt(a.equity)}</td>` +
      `<td class="num" data-field="maintenanceMargin">${fmt(a.maintenanceMargin)}</td>` +
      `<td class="num">${fmt(a.initialMargin)}</td></tr>`).join('');
  }

  async function loadAccounts() {
    const body = await api('/v1/accounts');
    state.accounts = new Map(body.accounts.map((a) => [a.account, a]));
    renderAccounts();
  }

  // ---- index and feed -------------------------------------------------------------------------------------
  function renderIndex() {
    $('index').tBodies[0].innerHTML = [...state.index.values()].sort((a, b) => a.asset.localeCompare(b.asset)).map((v) =>
      `<tr data-asset="${esc(v.asset)}"><td>${esc(v.asset)}</td><td class="num">${fmt(v.price, 2)}</td>` +
      `<td>${v.sources.map(esc).join(', ')}</td><td><span class="status ${v.status}">${v.status}</span></td></tr>`).join('');
  }

  async function loadIndex() {
    const body = await api('/v1/index');
    state.index = new Map(body.assets.map((a) => [a.asset, a]));
    renderIndex();
  }

  function feedLine(e) {
    switch (e.type) {
      case 'liquidation': return [`liquidation ${e.account}: ${e.size} ${e.instrument} at ${fmt(e.price, 2)}, equity after ${fmt(e.equityAfter)}`, 'liquidation'];
      case 'margin-call': return [`margin call ${e.account}: equity ${fmt(e.equity)} vs MM ${fmt(e.maintenanceMargin)}`, 'margin-call'];
      case 'insurance': return [`insurance fund ${fmt(e.balance)} (${e.change >= 0 ? '+' : ''}${fmt(e.change)})`, 'insurance'];
      case 'margin': return [`${e.account} is now ${e.status}: equity ${fmt(e.equity)}, MM ${fmt(e.maintenanceMargin)}`, e.status];
      default: return null;
    }
  }

  function addFeed(e, prepend) {
    const l = feedLine(e);
    if (!l) return;
    const li = document.createElement('li');
    li.className = l[1];
    li.dataset.seq = e.seq;
    li.textContent = `#${e.seq} ${l[0]}`;
    const feed = $('feed');
    if (prepend) feed.prepend(li); else feed.append(li);
    while (feed.children.length > 200) feed.lastChild.remove();
  }

  async function loadFeed() {
    const body = await api('/v1/feed');
    $('feed').innerHTML = '';
    body.events.slice().reverse().forEach((e) => addFeed(e, false));
    $('fund').textContent = fmt(body.insuranceFund);
  }

  // ---- one account ----------------------------------------------------------------------------------------
  function color(pnl, scale) {
    const t = Math.max(-1, Math.min(1, pnl / (scale || 1)));
    if (t < 0) { const k = Math.round(255 * (1 + t)); return `rgb(255,${k},${k})`; }
    const k = Math.round(255 * (1 - t)); return `rgb(${k},255,${k})`;
  }

  function heatmap(name, u) {
    const cw = 54, ch = 26, left = 50, top = 18;
    const scale = Math.max(1, ...u.pnl.flat().map(Math.abs));
    let svg = `<svg class="heatmap" data-unit="${esc(name)}" width="${left + cw * u.priceMoves.length + 4}" height="${top + ch * u.volStates.length + 4}">`;
    u.priceMoves.forEach((m, j) => { svg += `<text x="${left + j * cw + cw / 2}" y="12" font-size="10" text-anchor="middle">${(m * 100).toFixed(0)}%</text>`; });
    u.volStates.forEach((v, i) => {
      svg += `<text x="0" y="${top + i * ch + 17}" font-size="10">vol ${esc(v)}</text>`;
      u.priceMoves.forEach((m, j) => {
        const pnl = u.pnl[j][i];
        const worst = u.worstCell && u.worstCell.priceMove === m && u.worstCell.volState === v;
        svg += `<rect class="cell${worst ? ' worst' : ''}" data-j="${j}" data-v="${i}" data-pnl="${pnl}" x="${left + j * cw}" y="${top + i * ch}" width="${cw - 2}" height="${ch - 2}" fill="${color(pnl, scale)}" stroke="${worst ? '#000' : 'none'}" stroke-width="${worst ? 2 : 0}"><title>price ${(m * 100).toFixed(0)}%, vol ${v}: ${fmt(pnl)} USD${worst ? ' (worst)' : ''}</title></rect>`;
        svg += `<text x="${left + j * cw + cw / 2 - 1}" y="${top + i * ch + 16}" font-size="9" text-anchor="middle" pointer-events="none">${worst ? '\u2605' : ''}${Math.abs(pnl) >= 1e6 ? (pnl / 1e6).toFixed(1) + 'M' : (pnl / 1e3).toFixed(0) + 'k'}</text>`;
      });
    });
    return svg + '</svg>';
  }

  function renderReport(r) {
    $('acct-id').textContent = r.account;
    $('acct-status').textContent = r.status;
    $('acct-status').className = 'status ' + r.status;
    $('acct-summary').innerHTML = `<span>equity <b>${fmt(r.equity)}</b></span><span>IM <b>${fmt(r.initialMargin)}</b></span>` +
      `<span>MM <b>${fmt(r.maintenanceMargin)}</b></span><span>margin ratio <b>${r.marginRatio === null ? 'n/a' : fmt(r.marginRatio * 100, 1) + '%'}</b></span>` +
      `<span>as of ${esc(r.time)}</span>`;
    $('units').innerHTML = Object.entries(r.units).map(([name, u]) =>
      `<div class="unit"><h3>${esc(name)}: P&amp;L (USD) by price move and vol</h3>${heatmap(name, u)}` +
      `<table><tr><th>W</th><td class="num">${fmt(u.worstLoss)}</td><th>X</th><td class="num">${fmt(u.extendedLoss)}</td><th>SOM</th><td class="num">${fmt(u.shortOptionMinimum)}</td></tr>` +
      `<tr><th>C</th><td class="num">${fmt(u.coreCharge)}</td><th>RS</th><td class="num">${fmt(u.rollShock)}</td><th>LA</th><td class="num">${fmt(u.liquidityAddOn)}</td></tr>` +
      `<tr><th>delta</th><td class="num">${fmt(u.greeks.delta, 3)}</td><th>gamma</th><td class="num">${fmt(u.greeks.gamma, 5)}</td><th>vega</th><td class="num">${fmt(u.greeks.vega, 1)}</td></tr>` +
      `<tr><th>theta</th><td class="num">${fmt(u.greeks.theta, 1)}</td></tr></table></div>`).join('') || '<p class="hint">No risk unit (collateral only).</p>';
    const c = r.crossUnit;
    $('cross').innerHTML = `J(rho) ${fmt(c.jointLoss)} &middot; J(Q_stress) ${fmt(c.stressedJointLoss)} &middot; floor ${fmt(c.floor)} &middot; charge <b>${fmt(c.charge)}</b> &middot; borrowing ${fmt(r.borrowingCharge)}`;
    const top = r.positions.slice().sort((a, b) => Math.abs(b.marginContribution) - Math.abs(a.marginContribution)).slice(0, 5);
    $('contributors').tBodies[0].innerHTML = top.map((p) => `<tr><td>${esc(p.instrument)}</td><td class="num">${fmt(p.marginContribution)}</td>` +
      `<td class="num">${fmt(p.value)}</td><td class="num">${fmt(p.delta, 3)}</td></tr>`).join('');
  }

  function renderChart(points) {
    const svg = $('chart'), w = 640, h = 200, pad = 46;
    if (points.length === 0) { svg.innerHTML = '<text x="10" y="20" class="hint">no history yet</text>'; return; }
    const ys = points.flatMap((p) => [p.equity, p.maintenanceMargin]);
    let lo = Math.min(...ys), hi = Math.max(...ys);
    if (hi === lo) { hi += 1; lo -= 1; }
    const x = (i) => pad + (points.length === 1 ? 0 : i * (w - pad - 10) / (points.length - 1));
    const y = (v) => h - 20 - (v - lo) * (h - 30) / (hi - lo);
    const line = (f) => points.map((p, i) => `${x(i).toFixed(1)},${y(f(p)).toFixed(1)}`).join(' ');
    svg.innerHTML = `<line x1="${pad}" y1="${h - 20}" x2="${w}" y2="${h - 20}" stroke="#aaa"/>` +
      `<text x="2" y="${y(hi) + 4}" font-size="10">${fmt(hi)}</text><text x="2" y="${y(lo)}" font-size="10">${fmt(lo)}</text>` +
      `<polyline id="equity-line" fill="none" stroke="#1565c0" stroke-width="2" points="${line((p) => p.equity)}"/>` +
      `<polyline id="mm-line" fill="none" stroke="#c62828" stroke-width="2" points="${line((p) => p.maintenanceMargin)}"/>` +
      `<text x="${pad + 4}" y="${h - 4}" font-size="11" fill="#1565c0">equity</text><text x="${pad + 60}" y="${h - 4}" font-size="11" fill="#c62828">MM</text>` +
      `<text x="${w - 4}" y="${h - 4}" font-size="10" text-anchor="end">${points.length} points${points[points.length - 1].time ? ', last ' + esc(points[points.length - 1].time) : ''}</text>`;
  }

  async function loadSelected() {
    const id = state.selected;
    if (!id) return;
    try {
      const [r, h] = await Promise.all([api('/v1/accounts/' + encodeURIComponent(id)), api('/v1/accounts/' + encodeURIComponent(id) + '/history')]);
      if (id !== state.selected) return;
      $('account').hidden = false; $('pick').hidden = true;
      renderReport(r);
      renderChart(h.points);
      $('account').dataset.loaded = String(Date.now());
    } catch (e) {
      $('account').hidden = true; $('pick').hidden = false;
      $('pick').textContent = `${id}: ${e.message}`;
    }
  }

  function refreshSelectedSoon() {
    if (state.refreshPending) return;
    state.refreshPending = true;
    setTimeout(() => { state.refreshPending = false; loadSelected(); }, 700);
  }

  function select(id) {
    state.selected = id;
    const params = new URLSearchParams(location.hash.slice(1));
    params.set('account', id);
    history.replaceState(null, '', '#' + params.toString());
    renderAccounts();
    loadSelected();
  }

  // ---- live stream ----------------------------------------------------------------------------------------
  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/stream');
    state.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ key: state.key, from: state.lastSeq < 0 ? -1 : state.lastSeq + 1 }));
    ws.onmessage = (m) => {
      const e = JSON.parse(m.data);
      if (e.type === 'stream') {
        if (e.status === 'subscribed') { $('conn').textContent = 'live'; $('conn').className = 'badge on'; state.retry = 500; $('role').textContent = e.role; }
        return;
      }
      onEvent(e);
    };
    ws.onclose = () => {
      $('conn').textContent = 'reconnecting'; $('conn').className = 'badge off';
      setTimeout(connect, state.retry);
      state.retry = Math.min(10000, state.retry * 2);
    };
  }

  function onEvent(e) {
    if (e.seq > state.lastSeq) { state.lastSeq = e.seq; $('seq').textContent = e.seq; }
    switch (e.type) {
      case 'margin': {
        const before = state.accounts.get(e.account);
        state.accounts.set(e.account, { account: e.account, equity: e.equity, initialMargin: e.initialMargin,
          maintenanceMargin: e.maintenanceMargin, marginRatio: e.equity > 0 ? e.maintenanceMargin / e.equity : null, status: e.status });
        renderAccounts();
        if ((e.status === 'liquidation' || e.status === 'bankrupt') && (!before || before.status !== e.status)) addFeed(e, true);
        if (e.account === state.selected) refreshSelectedSoon();
        break;
      }
      case 'index':
        state.index.set(e.asset, { asset: e.asset, price: e.price, sources: e.sources, status: e.status });
        renderIndex();
        break;
      case 'insurance': $('fund').textContent = fmt(e.balance); addFeed(e, true); break;
      case 'liquidation': case 'margin-call': addFeed(e, true); if (e.account === state.selected) refreshSelectedSoon(); break;
      default: break;
    }
  }

  // ---- start ----------------------------------------------------------------------------------------------
  async function start() {
    state.key = keyFromHash() || localStorage.getItem('upm.key');
    if (!state.key) { $('login').hidden = false; return; }
    try {
      await Promise.all([loadAccounts(), loadIndex(), loadFeed()]);
    } catch (e) {
      $('login').hidden = false;
      $('login').querySelector('.hint').textContent = 'That key was refused: ' + e.message;
      return;
    }
    localStorage.setItem('upm.key', state.key);
    $('login').hidden = true; $('main').hidden = false;
    connect();
    const m = /(?:^#|&)account=([^&]+)/.exec(location.hash);
    if (m) select(decodeURIComponent(m[1]));
    // valuations after price moves are not events: poll the list every two seconds and the open account (its report is
    // a journaled command) every five
    setInterval(() => { loadAccounts().catch(() => {}); loadIndex().catch(() => {}); }, 2000);
    setInterval(() => { if (state.selected) loadSelected(); }, 5000);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.key = $('key-input').value.trim();
      history.replaceState(null, '', '#key=' + encodeURIComponent(state.key));
      start();
    });
    $('accounts').tHead.addEventListener('click', (ev) => {
      const by = ev.target.dataset.sort;
      if (!by) return;
      state.sort = { by, desc: state.sort.by === by ? !state.sort.desc : by !== 'account' };
      renderAccounts();
    });
    $('accounts').tBodies[0].addEventListener('click', (ev) => {
      const tr = ev.target.closest('tr');
      if (tr) select(tr.dataset.account);
    });
    $('whatif-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const order = { instrument: $('wi-instrument').value.trim(), size: Number($('wi-size').value) };
      if ($('wi-price').value.trim()) order.price = Number($('wi-price').value);
      try {
        const w = await api('/v1/accounts/' + encodeURIComponent(state.selected) + '/whatif', { method: 'POST', body: JSON.stringify({ add: [order] }) });
        $('whatif-result').innerHTML = `<p class="${w.accepted ? 'accepted' : 'refused'}">${w.accepted ? 'accepted' : 'refused'}: ${esc(w.reason)}</p>` +
          `<p>MM ${fmt(w.before.maintenanceMargin)} &rarr; ${fmt(w.after.maintenanceMargin)} (${fmt(w.change.maintenanceMargin)}), ` +
          `IM ${fmt(w.before.initialMargin)} &rarr; ${fmt(w.after.initialMargin)}, equity after ${fmt(w.after.equity)}</p>`;
      } catch (e) {
        $('whatif-result').innerHTML = `<p class="refused">${esc(e.message)}</p>`;
      }
    });
    start();
  });
})();
