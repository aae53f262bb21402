// The step-through view of the cluster at one instant: the nodes as boxes (SVG drawn by the
// page) — ZooKeeper, the brokers, the producers and the consumers — each up, paused or down;
// the controller and each partition's leader by name; each broker's ZooKeeper session (alive
// or expired); the faults in force; the produce and fetch requests of the interval as arrows;
// and per partition each replica's log end offset and the high watermark as bars, with the ISR.
// Its data: the run's cluster states (kafkasim_output("cluster_states"), sampled with the
// series), the series (log end offsets, high watermarks) and the traffic counted from the
// run's trace (kafkasim_traffic). Nothing here simulates.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const STATUS_WORD = {u: 'up', p: 'paused', d: 'down'};

function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes || {})) element.setAttribute(k, String(v));
  if (text !== undefined) element.textContent = text;
  return element;
}

/// The index of the sample at or after `ms` (the state just after an event at that instant).
function sampleIndexAt(samples, ms) {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0) return -1;
  if (samples[hi].t < ms - 1e-6) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].t >= ms - 1e-6) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/// Where each node's box goes: ZooKeeper on top, the brokers in the middle row, the clients
/// (producers, then consumers) at the bottom.
function layoutNodes(states, width) {
  const rows = {zookeeper: [], broker: [], client: []};
  states.kinds.forEach((kind, i) => {
    (kind === 'zookeeper' ? rows.zookeeper : kind === 'broker' ? rows.broker : rows.client).push(i);
  });
  const place = new Map();
  const boxW = 170;
  const boxH = 92;
  const rowY = {zookeeper: 10, broker: 160, client: 320};
  for (const [row, nodes] of Object.entries(rows)) {
    const gap = width / (nodes.length + 1);
    nodes.forEach((node, k) => place.set(node, {x: gap * (k + 1) - boxW / 2, y: rowY[row], w: boxW, h: boxH}));
  }
  return {place, height: rowY.client + boxH + 12};
}

/// The traffic arrows of the bucket holding `ms`: [{from, to, kind, count}] by node index.
function trafficAt(traffic, nodes, ms) {
  if (!traffic) return [];
  const bucket = Math.floor(ms / traffic.bucket_ms);
  const index = new Map(nodes.map((name, i) => [name, i]));
  const out = [];
  for (const [b, link, count] of traffic.counts) {
    if (b !== bucket) continue;
    const [from, to, kind] = traffic.links[link];
    if (index.has(from) && index.has(to)) out.push({from: index.get(from), to: index.get(to), kind, count});
  }
  return out;
}

const ARROW_COLOUR = {'Produce': '#d62728', 'Fetch (follower)': '#1f77b4', 'Fetch (consumer)': '#2ca02c'};

/// Draws the cluster at sample `index` of `states` into `container` (an element emptied first).
/// `faultsNow`: the faults in force [{label, targets: [node names]}]; `traffic`: or null.
function drawClusterSvg(container, states, index, faultsNow, traffic, ms) {
  const sample = states.samples[index];
  const width = Math.max(640, Math.min(1100, container.clientWidth || 900));
  const {place, height} = layoutNodes(states, width);
  const svg = svgElement('svg', {width, height, viewBox: `0 0 ${width} ${height}`, id: 'cluster-svg',
                                 role: 'img', 'aria-label': 'the cluster'});
  const defs = svgElement('defs');
  for (const [kind, colour] of Object.entries(ARROW_COLOUR)) {
    const marker = svgElement('marker', {id: `arrow-${kind.replace(/\W/g, '')}`, viewBox: '0 0 10 10',
                                         refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto'});
    marker.append(svgElement('path', {d: 'M0,0 L10,5 L0,10 z', fill: colour}));
    defs.append(marker);
  }
  svg.append(defs);
  const centre = (i) => {
    const p = place.get(i);
    return {x: p.x + p.w / 2, y: p.y + p.h / 2};
  };
  const zookeeper = states.kinds.indexOf('zookeeper');
  // ZooKeeper sessions: a line from each broker (and consumer with one) to ZooKeeper.
  states.kinds.forEach((kind, i) => {
    if (i === zookeeper || zookeeper < 0 || kind !== 'broker') return;
    const alive = sample.zk[i] === '1';
    const a = centre(i);
    const z = centre(zookeeper);
    svg.append(svgElement('line', {x1: a.x, y1: place.get(i).y, x2: z.x, y2: place.get(zookeeper).y + place.get(zookeeper).h,
                                   class: `zk-link ${alive ? 'alive' : 'expired'}`}));
  });
  // The requests of this interval.
  const arrows = trafficAt(traffic, states.nodes, ms);
  for (const a of arrows) {
    const p = centre(a.from);
    const q = centre(a.to);
    const bend = a.kind === 'Produce' ? 0 : 40;
    const mx = (p.x + q.x) / 2 + (a.kind === 'Fetch (follower)' ? 0 : 0);
    const my = (p.y + q.y) / 2 + (p.y === q.y ? (p.x < q.x ? -bend : bend) : 0);
    const shrink = (from, to) => {  // stop at the box's edge
      const box = place.get(to === q ? a.to : a.from);
      const dx = from.x - to.x;
      const dy = from.y - to.y;
      const t = Math.min(box.w / 2 / Math.max(1e-6, Math.abs(dx)), box.h / 2 / Math.max(1e-6, Math.abs(dy)));
      return {x: to.x + dx * Math.min(1, t), y: to.y + dy * Math.min(1, t)};
    };
    const end = shrink({x: mx, y: my}, q);
    const start = shrink({x: mx, y: my}, p);
    const path = svgElement('path', {
      d: `M${start.x},${start.y} Q${mx},${my} ${end.x},${end.y}`, fill: 'none',
      stroke: ARROW_COLOUR[a.kind] || '#555', 'stroke-width': Math.min(6, 1 + Math.log2(a.count)),
      'marker-end': `url(#arrow-${a.kind.replace(/\W/g, '')})`, class: 'traffic',
      'data-kind': a.kind, 'data-from': states.nodes[a.from], 'data-to': states.nodes[a.to]});
    path.append(svgElement('title', {}, `${a.count} ${a.kind} request(s) ${states.nodes[a.from]} → ${states.nodes[a.to]}`));
    svg.append(path);
    svg.append(svgElement('text', {x: mx, y: my - 3, class: 'traffic-count', fill: ARROW_COLOUR[a.kind] || '#555'}, String(a.count)));
  }
  // What each broker leads.
  const leads = new Map();
  sample.partitions.forEach(([leader], p) => {
    if (leader < 0) return;
    if (!leads.has(leader)) leads.set(leader, []);
    leads.get(leader).push(states.partitions[p]);
  });
  const faultOn = new Map();
  for (const f of faultsNow) for (const t of f.targets) faultOn.set(t, f.label);
  states.nodes.forEach((name, i) => {
    const box = place.get(i);
    const status = STATUS_WORD[sample.status[i]] || '?';
    const kind = states.kinds[i];
    const g = svgElement('g', {class: `node ${status}${sample.controller === i ? ' controller' : ''}${faultOn.has(name) ? ' faulted' : ''}`,
                               'data-node': name, 'data-status': status, transform: `translate(${box.x},${box.y})`});
    g.append(svgElement('rect', {width: box.w, height: box.h, rx: 7}));
    const lines = [`${name}`, `${kind}: ${status}`];
    if (kind === 'broker') {
      lines.push(`ZK session ${sample.zk[i] === '1' ? 'alive' : 'expired'}`);
      const led = leads.get(i) || [];
      lines.push(sample.controller === i ? `controller${led.length ? ', ' : ''}${led.length ? `leads ${led.join(' ')}` : ''}`
                                         : led.length ? `leads ${led.join(' ')}` : '');
    } else if (faultOn.has(name)) {
      lines.push('');
    }
    if (faultOn.has(name)) lines.push(`⚡ ${faultOn.get(name)}`);
    lines.forEach((line, k) => {
      if (!line) return;
      g.append(svgElement('text', {x: 8, y: 17 + 16 * k, class: k === 0 ? 'name' : 'detail'}, line));
    });
    svg.append(g);
  });
  container.append(svg);
  const legend = document.createElement('p');
  legend.className = 'legend';
  legend.innerHTML = '<span style="color:#d62728">→ Produce</span> <span style="color:#1f77b4">→ follower Fetch</span> ' +
      '<span style="color:#2ca02c">→ consumer Fetch</span> (requests received in this ' +
      `${traffic ? traffic.bucket_ms : '–'} ms interval) · <span class="zk-alive">— ZooKeeper session alive</span> ` +
      '<span class="zk-expired">- - expired</span> · <b>bold border</b>: the controller';
  if (!traffic) legend.append(' · traffic: loading the run\'s trace…');
  container.append(legend);
}

/// Per partition: its leader and leader epoch by name, its ISR, each replica's log end offset as
/// a bar with the high watermark marked (the series' values at `seriesIndex`).
function drawPartitions(container, states, index, run, seriesIndex) {
  const sample = states.samples[index];
  states.partitions.forEach((partition, p) => {
    const [leader, epoch, isr] = sample.partitions[p];
    const value = (metric, subject) => {
      const bySubject = run && run.metrics.get(metric);
      const series = bySubject && bySubject.get(subject);
      return series ? series[seriesIndex] : undefined;
    };
    const hw = value('high_watermark', partition);
    const box = document.createElement('div');
    box.className = 'partition-box';
    box.dataset.partition = partition;
    box.dataset.leader = leader >= 0 ? states.nodes[leader] : '';
    const title = document.createElement('h4');
    title.textContent = leader >= 0
        ? `${partition}: leader ${states.nodes[leader]} (leader epoch ${epoch}), ISR [${isr.map((n) => states.nodes[n]).join(', ')}], high watermark ${hw ?? '–'}`
        : `${partition}: no leader (offline), high watermark none`;
    box.append(title);
    const ends = states.replicas[p].map((n) => value('log_end_offset', `${partition}/${states.nodes[n]}`) || 0);
    const top = Math.max(1, hw || 0, ...ends);
    states.replicas[p].forEach((n, r) => {
      const name = states.nodes[n];
      const row = document.createElement('div');
      row.className = 'replica';
      const roles = [n === leader ? 'leader' : 'follower', isr.includes(n) ? 'in ISR' : leader >= 0 ? 'not in ISR' : '',
                     STATUS_WORD[sample.status[n]] === 'up' ? '' : STATUS_WORD[sample.status[n]]].filter(Boolean);
      row.textContent = `${name}: log end offset ${ends[r]} (${roles.join(', ')})`;
      const bar = document.createElement('div');
      bar.className = `bar${isr.includes(n) ? ' in-isr' : ''}`;
      bar.innerHTML = `<div class="leo" style="width:${(100 * ends[r]) / top}%"></div>` +
          (hw != null ? `<div class="hw" style="left:${(100 * hw) / top}%" title="high watermark"></div>` : '');
      box.append(row, bar);
    });
    container.append(box);
  });
}
