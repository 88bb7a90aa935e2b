// GpuTrainer's report page. The C# side (src/GpuTrainer/Reports/ReportPage.cs) embeds this script, uPlot and the
// study's figures as JSON into one report.html; this script only turns the JSON into uPlot charts and HTML tables:
// data in, library calls out. Every chart's legend toggles its series (click an entry) and reads values on hover.
(() => {
    'use strict';
    const data = JSON.parse(document.getElementById('report-data').textContent);
    const root = document.getElementById('report');
    root.textContent = '';
    const palette = data.palette;
    const runs = data.runs;
    const finished = runs.filter(r => r.stepLoss.length > 0 || r.epoch.length > 0);
    const study = data.rangeTests.length > 0;

    // ---- small helpers -------------------------------------------------------------------------------------------
    function el(tag, attrs, ...children) {
        const node = document.createElement(tag);
        for (const [key, value] of Object.entries(attrs || {})) {
            if (key === 'text') node.textContent = value;
            else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
            else node.setAttribute(key, value);
        }
        for (const child of children) if (child != null) node.append(child);
        return node;
    }
    const sci = v => (v == null ? '-' : Number(v).toExponential(2));
    const pct = v => (v == null ? '-' : (100 * v).toFixed(2) + '%');
    const num = (v, d) => (v == null ? '-' : Number(v).toFixed(d));
    const color = i => palette[((i % palette.length) + palette.length) % palette.length];
    const faint = hex => hex + '40';
    const dash = schedule => (schedule === 'fixed' ? [] : schedule === 'step' ? [10, 6] : [2, 4]);
    const runLabel = r => `${r.optimizer} ${r.schedule} lr ${sci(r.lr)}`;
    const width = () => Math.max(320, Math.min(1100, root.clientWidth - 8));
    const section = (title, ...children) => root.append(el('section', {}, el('h2', { text: title }), ...children));
    const logTicks = (u, splits) => splits.map(v => (v == null ? '' : Math.abs(Math.log10(v)) >= 3 ? sci(v) : String(+v.toPrecision(3))));

    // TensorBoard's scalar smoothing: an exponential moving average divided by its bias (1 - w^n).
    function smooth(values, weight) {
        let last = 0, n = 0;
        return values.map(v => {
            if (v == null || !Number.isFinite(v)) return null;
            n += 1;
            last = last * weight + (1 - weight) * v;
            return weight === 0 ? v : last / (1 - Math.pow(weight, n));
        });
    }

    // One chart in a container the tests find by data-chart; `make` builds the uPlot (again, when a switch changes it).
    const charts = {};
    function chart(id, make, controls) {
        const box = el('div', { class: 'chart', 'data-chart': id });
        const holder = el('div');
        box.append(...(controls || []), holder);
        const entry = { make, holder, plot: null };
        entry.build = () => {
            if (entry.plot) entry.plot.destroy();
            entry.plot = make(holder);
        };
        charts[id] = entry;
        return box;
    }
    window.gputrainerReport = { charts };

    // Series of several runs on one x: uPlot wants one x array, uPlot.join aligns them (gaps as null).
    function joined(list, xs, ys) {
        const tables = list.map(r => [xs(r), ys(r)]).filter(t => t[0].length > 0);
        return tables.length > 0 ? uPlot.join(tables) : [[]];
    }

    function runSeries(r, extra) {
        return Object.assign({ label: runLabel(r), stroke: color(r.color), dash: dash(r.schedule), width: 1.5, spanGaps: false, points: { show: false } }, extra);
    }

    // ---- heading, status ----------------------------------------------------------------------------------------
    root.append(el('h1', { text: data.title }));
    root.append(el('p', { class: 'status', text: data.status }));
    if (data.markdown) root.append(el('p', {}, 'Text version: ', el('a', { href: data.markdown, text: data.markdown })));

    // ---- range tests --------------------------------------------------------------------------------------------
    if (study) {
        const boxes = data.rangeTests.map(t => (t.lr.length > 0
            ? chart(`range-${t.optimizer}`, holder => rangeTestChart(t, holder))
            : el('p', { text: `${t.optimizer}: no curve; candidates ${t.candidates.map(sci).join(', ') || '-'}` })));
        section('LR range tests', el('p', { class: 'note', text: 'Loss against the learning rate (log scale) as the rate sweeps up: per step (light) and smoothed; the shaded band is where the smoothed loss falls fastest, dots mark the chosen candidates, dashed lines the other suggestions.' }), ...boxes);
    }

    function rangeTestChart(t, holder) {
        const candidates = t.lr.map(() => null);
        for (const c of t.candidates) {
            let best = 0;
            t.lr.forEach((lr, i) => { if (lr != null && Math.abs(Math.log(lr / c)) < Math.abs(Math.log(t.lr[best] / c))) best = i; });
            candidates[best] = t.smoothed[best];
        }
        const finite = t.smoothed.filter(v => v != null);
        const lowest = finite.indexOf(Math.min(...finite));
        const top = 1.25 * Math.max(...finite.slice(0, lowest + 1));
        const marks = [['steepest', t.steepest], ['min/10', t.minimumOverTen], ['valley', t.valley]].filter(m => m[1] != null);
        return new uPlot({
            title: `LR range test: ${t.optimizer}` + (t.error ? ` (no band: ${t.error})` : ''),
            width: width(), height: 360,
            scales: { x: { time: false, distr: 3, log: 10 }, y: { range: [0, top > 0 ? top : null] } },
            axes: [{ label: 'learning rate', values: logTicks }, { label: 'Loss/train' }],
            series: [
                { label: 'lr', value: (u, v) => sci(v) },
                { label: 'loss per step', stroke: faint(color(0)), width: 1 },
                { label: 'smoothed', stroke: color(0), width: 2 },
                { label: 'candidates', stroke: color(3), paths: () => null, points: { show: true, size: 10, fill: color(3) } },
            ],
            hooks: {
                drawClear: [u => {
                    if (t.bandLow == null) return;
                    const x0 = u.valToPos(t.bandLow, 'x', true), x1 = u.valToPos(t.bandHigh, 'x', true);
                    u.ctx.fillStyle = 'rgba(44,160,44,0.13)';
                    u.ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
                }],
                draw: [u => {
                    const ctx = u.ctx;
                    ctx.save();
                    ctx.strokeStyle = '#555'; ctx.fillStyle = '#333'; ctx.setLineDash([6, 5]);
                    ctx.font = `${12 * devicePixelRatio}px sans-serif`;
                    marks.forEach(([name, lr], i) => {
                        const x = u.valToPos(lr, 'x', true);
                        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
                        ctx.fillText(`${name} ${sci(lr)}`, x + 4, u.bbox.top + (i + 1) * 16 * devicePixelRatio);
                    });
                    ctx.restore();
                }],
            },
        }, [t.lr, t.loss, t.smoothed, candidates], holder);
    }

    // ---- Loss/train per step, smoothing slider, log/linear --------------------------------------------------------
    if (finished.length > 0) {
        const state = { weight: 0.6, log: true };
        const withSteps = finished.filter(r => r.stepLoss.length > 0);
        const raw = joined(withSteps, r => r.stepEpoch, r => r.stepLoss);
        const stepData = () => [raw[0], ...withSteps.flatMap((r, i) => [raw[i + 1], smooth(raw[i + 1], state.weight)])];
        const slider = el('input', { type: 'range', min: '0', max: '0.99', step: '0.01', value: String(state.weight), 'data-control': 'smoothing' });
        const shown = el('output', { text: state.weight.toFixed(2) });
        const logBox = el('input', { type: 'checkbox', checked: '', 'data-control': 'log-y' });
        const box = chart('loss-steps', holder => {
            const series = [{ label: 'epoch', value: (u, v) => num(v, 2) }];
            withSteps.forEach(r => {
                series.push(runSeries(r, { label: runLabel(r) + ' raw', stroke: faint(color(r.color)), width: 1 }));
                series.push(runSeries(r));
            });
            return new uPlot({
                title: 'Loss/train per step', width: width(), height: 420,
                scales: { x: { time: false }, y: state.log ? { distr: 3, log: 10 } : {} },
                axes: [{ label: 'epoch' }, { label: 'Loss/train', values: state.log ? logTicks : undefined }],
                series,
                hooks: {
                    // The raw curve follows its smoothed twin: one legend entry (the smoothed one) toggles both.
                    setSeries: [(u, i) => {
                        if (i == null || i % 2 !== 0) return;
                        if (u.series[i - 1].show !== u.series[i].show) u.setSeries(i - 1, { show: u.series[i].show });
                    }],
                    init: [u => u.root.querySelectorAll('.u-legend tr.u-series').forEach((row, i) => { if (i > 0 && i % 2 === 1) row.classList.add('raw-row'); })],
                },
            }, stepData(), holder);
        }, [
            el('label', { class: 'control' }, 'smoothing ', slider, ' ', shown),
            el('label', { class: 'control' }, logBox, ' log scale'),
        ]);
        slider.addEventListener('input', () => {
            state.weight = Number(slider.value);
            shown.textContent = state.weight.toFixed(2);
            charts['loss-steps'].plot.setData(stepData());
        });
        logBox.addEventListener('change', () => { state.log = logBox.checked; charts['loss-steps'].build(); });
        section('Training loss per step', el('p', { class: 'note', text: "Every run's Loss/train at every step, smoothed as TensorBoard does (its debiased exponential moving average; 0 = raw), the raw curve faint behind it. One colour per candidate rate, one line style per schedule (fixed solid, step dashed); click a legend entry to hide or show a run." }), box);

        // ---- per-epoch metrics ------------------------------------------------------------------------------------
        const perEpoch = (id, title, label, values, log, controls) => chart(id, holder => new uPlot({
            title, width: width(), height: 340,
            scales: { x: { time: false }, y: log() ? { distr: 3, log: 10 } : {} },
            axes: [{ label: 'epoch' }, { label: label(), values: log() ? logTicks : undefined }],
            series: [{ label: 'epoch' }, ...finished.map(r => runSeries(r, { points: { show: r.epoch.length <= 50, size: 5 }, value: (u, v) => (v == null ? '-' : +v.toPrecision(4)) }))],
        }, joined(finished, r => r.epoch, r => values()(r).map(v => (log() && v != null && v <= 0 ? null : v))), holder), controls);
        const error = { on: false };
        const errorBox = el('input', { type: 'checkbox', 'data-control': 'test-error' });
        errorBox.addEventListener('change', () => { error.on = errorBox.checked; charts['accuracy-test'].build(); });
        section('Per epoch',
            perEpoch('accuracy-test', 'Accuracy/test', () => (error.on ? 'test error (1 - accuracy)' : 'Accuracy/test'),
                () => (error.on ? r => r.testAccuracy.map(a => (a == null ? null : 1 - a)) : r => r.testAccuracy), () => error.on,
                [el('label', { class: 'control' }, errorBox, ' show test error on a log axis')]),
            perEpoch('loss-test', 'Loss/test', () => 'Loss/test', () => r => r.testLoss, () => true),
            perEpoch('loss-train', 'Loss/train (epoch mean)', () => 'Loss/train', () => r => r.trainLoss, () => true),
            perEpoch('lr-train', 'LR/train (last of each epoch)', () => 'learning rate', () => r => r.learningRate, () => true));
    }

    // ---- best accuracy against the rate, and the grid ------------------------------------------------------------
    if (study && finished.some(r => r.bestAccuracy != null)) {
        const groups = [];
        for (const r of runs.filter(x => x.bestAccuracy != null)) {
            const key = `${r.optimizer} ${r.schedule}`;
            let g = groups.find(x => x.key === key);
            if (!g) groups.push(g = { key, schedule: r.schedule, runs: [] });
            g.runs.push(r);
        }
        groups.forEach(g => g.runs.sort((a, b) => a.lr - b.lr));
        const best = chart('best-vs-lr', holder => new uPlot({
            title: 'Best test accuracy against the learning rate', width: width(), height: 340,
            scales: { x: { time: false, distr: 3, log: 10 }, y: {} },
            axes: [{ label: 'learning rate', values: logTicks }, { label: 'best test accuracy', values: (u, s) => s.map(v => (100 * v).toFixed(1) + '%') }],
            series: [{ label: 'lr', value: (u, v) => sci(v) }, ...groups.map((g, i) => ({
                label: g.key, stroke: color(i), dash: dash(g.schedule), width: 2, spanGaps: true, points: { show: true, size: 8 },
                value: (u, v) => pct(v),
            }))],
        }, uPlot.join(groups.map(g => [g.runs.map(r => r.lr), g.runs.map(r => r.bestAccuracy)])), holder));

        const candidates = [...new Set(runs.map(r => r.candidate))].sort((a, b) => a - b);
        const accs = runs.map(r => r.bestAccuracy).filter(v => v != null);
        const [lo, hi] = [Math.min(...accs), Math.max(...accs)];
        const grid = el('table', { class: 'grid', 'data-table': 'grid' },
            el('thead', {}, el('tr', {}, el('th', { text: 'optimizer' }), el('th', { text: 'schedule' }), ...candidates.map(c => el('th', { text: `candidate ${c}` })))));
        const body = el('tbody');
        for (const key of [...new Set(runs.map(r => `${r.optimizer}\u0000${r.schedule}`))]) {
            const [optimizer, schedule] = key.split('\u0000');
            const row = el('tr', {}, el('td', { text: optimizer }), el('td', { text: schedule }));
            for (const c of candidates) {
                const r = runs.find(x => x.optimizer === optimizer && x.schedule === schedule && x.candidate === c);
                const cell = el('td');
                if (r) {
                    cell.append(el('div', { class: 'lr', text: `lr ${sci(r.lr)}` }), el('div', { text: r.bestAccuracy != null ? pct(r.bestAccuracy) : r.status }));
                    if (r.bestAccuracy != null) {
                        const share = hi > lo ? (r.bestAccuracy - lo) / (hi - lo) : 1;
                        cell.style.background = `hsl(${Math.round(10 + 110 * share)}, 65%, ${Math.round(88 - 30 * share)}%)`;
                    } else cell.classList.add(r.status);
                }
                row.append(cell);
            }
            body.append(row);
        }
        grid.append(body);
        section('Accuracy against the learning rate', best,
            el('p', { class: 'note', text: 'Best test accuracy of every optimizer x schedule x candidate rate; colour from the lowest (red) to the highest (green).' }), grid);
    }

    // ---- the ranked run table, sortable by any column -------------------------------------------------------------
    const columns = [
        ['rank', r => r.rank], ['optimizer', r => r.optimizer], ['schedule', r => r.schedule], ['lr', r => r.lr, sci],
        ['best test acc', r => r.bestAccuracy, pct], ['best epoch', r => r.bestEpoch], ['final test acc', r => r.finalAccuracy, pct],
        ['final train loss', r => r.finalTrainLoss, v => num(v, 4)], ['final test loss', r => r.finalTestLoss, v => num(v, 4)],
        ['time (s)', r => r.seconds, v => num(v, 1)], ['status', r => r.status], ['run', r => r.name],
    ];
    runs.forEach((r, i) => { r.rank = i + 1; });
    const table = el('table', { class: 'runs', 'data-table': 'runs' });
    const head = el('tr');
    const tbody = el('tbody');
    const sort = { column: 0, up: true };
    function fill() {
        const [, key] = columns[sort.column];
        const sorted = [...runs].sort((a, b) => {
            const [x, y] = [key(a), key(b)];
            if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;   // empty cells last
            const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
            return sort.up ? order : -order;
        });
        tbody.textContent = '';
        for (const r of sorted) {
            tbody.append(el('tr', { class: r.status }, ...columns.map(([name, k, f]) => name === 'run'
                ? el('td', {}, el('a', { href: r.link, text: r.name }))
                : el('td', { text: f ? f(k(r)) : (k(r) ?? '-'), title: name === 'status' && r.note ? r.note : '' }))));
        }
        head.querySelectorAll('th').forEach((th, i) => th.setAttribute('aria-sort', i === sort.column ? (sort.up ? 'ascending' : 'descending') : 'none'));
    }
    columns.forEach(([name], i) => head.append(el('th', { text: name, onclick: () => { sort.up = sort.column === i ? !sort.up : true; sort.column = i; fill(); } })));
    table.append(el('thead', {}, head), tbody);
    fill();
    section(study ? 'All runs, best first' : 'Summary', el('p', { class: 'note', text: 'Click a column heading to sort by it (again to reverse).' }), table);

    // ---- beside the reference study ---------------------------------------------------------------------------------
    if (data.reference) {
        const ref = data.reference;
        const list = xs => (xs.length ? xs.map(sci).join(', ') : '-');
        const rows = ref.rows.map(r => el('tr', {}, ...[r.optimizer, r.schedule, list(r.ourCandidates), list(r.referenceCandidates), sci(r.ourPick), pct(r.ourBest), sci(r.referencePick)].map(t => el('td', { text: t }))));
        section('Beside the reference study', el('p', { text: ref.note }),
            el('table', { class: 'reference' },
                el('thead', {}, el('tr', {}, ...['optimizer', 'schedule', 'candidates (ours)', 'candidates (reference)', 'pick (ours)', 'best test acc (ours)', 'pick (reference)'].map(t => el('th', { text: t })))),
                el('tbody', {}, ...rows)),
            el('p', { text: `Best test accuracy: ours ${pct(ref.ourBest)}, the reference's about ${(100 * ref.referenceBest).toFixed(1)}% (full MNIST).` }));
    }

    // ---- provenance -------------------------------------------------------------------------------------------------
    section('Provenance', el('table', { class: 'provenance' }, el('tbody', {}, ...data.provenance.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v }))))));

    Object.values(charts).forEach(c => c.build());
})();
