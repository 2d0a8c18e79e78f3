// Opens one notebook in JupyterLab in Debian's headless Chromium, runs all its cells the way a student does
// (menu Run > Run All Cells), and reports what the page shows as one JSON object on stdout; screenshots go to
// --shots. tests/test_browser.py starts the server and checks the report.
// With --report FILE the JSON goes to that file instead (written synchronously: a large report written to a
// pipe is cut short when the process exits before the pipe drains, as Node does with process.exit).
//
//   node run_notebook.mjs --base http://127.0.0.1:PORT --token TOKEN --notebook lecture4.ipynb \
//        --shots target/screenshots --name lecture4 [--timeout 900]
//
// Report: {kernelName, statusBar, cells: [{prompt, stderr: [text], errors: [text], text, images}], images,
//          players: [{id, before: {...}, after: {...}}], consoleErrors: [text]}
// Exits 1 (with {"failure": ...} on stdout) when the page never gets where it should (a timeout).

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function args() {
  const a = { timeout: 900 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['base', 'token', 'notebook', 'shots', 'name']) {
    if (!a[k]) throw new Error(`run_notebook.mjs: missing --${k}`);
  }
  a.timeout = Number(a.timeout) * 1000;
  return a;
}

const log = (...m) => console.error(`[browser ${new Date().toISOString().slice(11, 19)}]`, ...m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, timeoutMs, fn, everyMs = 500) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    last = await fn();
    if (last && last.ok) return last;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

// The kernel's state as the notebook toolbar and the status bar show it.
async function kernelState(page) {
  return page.evaluate(() => {
    const text = (sel) => Array.from(document.querySelectorAll(sel)).map((e) => e.textContent.trim()).join(' | ');
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document;
    const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    return {
      toolbarKernel: (panel.querySelector('.jp-Toolbar .jp-KernelName') || { textContent: '' }).textContent.trim(),
      statusBar: text('.jp-StatusBar-Widget'),
      indicator: indicator ? indicator.getAttribute('data-status') : null,
      dialogs: text('.jp-Dialog-content'),
    };
  });
}

// Every code cell of the visible notebook: its prompt, its outputs, the images they hold.
async function cellReport(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    return Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')).map((cell) => {
      const outs = Array.from(cell.querySelectorAll('.jp-OutputArea-output'));
      // textContent, not innerText: cells outside the viewport are not rendered (content-visibility),
      // and innerText of unrendered content is empty.
      const byMime = (m) => outs.filter((o) => o.getAttribute('data-mime-type') === m).map((o) => o.textContent);
      const prompt = cell.querySelector('.jp-InputArea-prompt');
      return {
        prompt: prompt ? prompt.textContent.trim() : '',
        stderr: byMime('application/vnd.jupyter.stderr'),
        errors: byMime('application/vnd.jupyter.error'),
        text: outs.map((o) => o.textContent).join('\n'),
        images: cell.querySelectorAll('.jp-OutputArea-output img').length,
        players: Array.from(cell.querySelectorAll('.jp-OutputArea-output .nnlab-anim')).map((p) => p.id),
      };
    });
  });
}

async function playerState(page, id) {
  return page.evaluate((id) => {
    const el = (s) => document.getElementById(`${id}-${s}`);
    const img = el('img');
    return {
      slider: el('slider') ? Number(el('slider').value) : null,
      sliderMax: el('slider') ? Number(el('slider').max) : null,
      label: el('label') ? el('label').textContent : null,
      src: img ? img.src.slice(-48) : null,
      imgLoaded: img ? img.complete && img.naturalWidth > 0 : false,
      playButton: el('play') ? el('play').textContent : null,
    };
  }, id);
}

async function main() {
  const a = args();
  fs.mkdirSync(a.shots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-chromium-'));
  // A fresh profile (--user-data-dir; playwright wants it as launchPersistentContext's first argument).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const report = { consoleErrors: [] };
  const shot = (name) => path.join(a.shots, `${a.name}-${name}.png`);
  let page;
  try {
    page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') report.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => report.consoleErrors.push(String(e)));
    const url = `${a.base}/lab/tree/${encodeURIComponent(a.notebook)}?reset&token=${a.token}`;
    log('opening', url.replace(a.token, '***'));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
    await page.waitForSelector('.jp-NotebookPanel .jp-Notebook .jp-Cell', { timeout: 180000 });

    const started = await waitFor('the kernel to start and be idle', 600000, async () => {
      const s = await kernelState(page);
      s.ok = s.indicator === 'idle' && /Idle/i.test(s.statusBar);
      return s;
    });
    log('kernel ready:', started.toolbarKernel, '/', started.statusBar);
    report.kernelName = started.toolbarKernel;
    report.statusBar = started.statusBar;
    await page.screenshot({ path: shot('opened') });

    // Run > Run All Cells, as a student does.
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    const t0 = Date.now();
    log('Run All Cells clicked');
    let lastCount = -1;
    if (a['stop-at-error']) {
      // A notebook with a failing cell: Run All must stop there. Meanwhile, the text of every cell is sampled
      // (what a student sees while a cell runs: a progress bar redrawn in place).
      report.samples = [];
      let idleSince = null;
      await waitFor('Run All to stop at the failing cell', a.timeout, async () => {
        const cells = await cellReport(page);
        const s = await kernelState(page);
        cells.forEach((c, i) => {
          const last = report.samples.filter((x) => x.cell === i).pop();
          if (!last || last.text !== c.text) report.samples.push({ cell: i, t: (Date.now() - t0) / 1000, text: c.text.slice(-300) });
        });
        // (JupyterLab shows an error output with the stderr MIME type: the test reads the cells' text.)
        const started = cells.some((c) => /^\[\d+\]:?$/.test(c.prompt));
        idleSince = started && s.indicator === 'idle' ? (idleSince || Date.now()) : null;
        return { ok: idleSince !== null && Date.now() - idleSince > 4000, started, indicator: s.indicator };
      }, 250);
    } else {
      await waitFor('every code cell to have an execution count and the kernel to be idle', a.timeout, async () => {
        const cells = await cellReport(page);
        const done = cells.filter((c) => /^\[\d+\]:?$/.test(c.prompt)).length;
        const s = await kernelState(page);
        if (done !== lastCount) { log(`${done}/${cells.length} cells done (${Math.round((Date.now() - t0) / 1000)} s)`); lastCount = done; }
        return { ok: done === cells.length && s.indicator === 'idle', done, of: cells.length, indicator: s.indicator, dialogs: s.dialogs };
      }, 1000);
    }
    report.runAllSeconds = (Date.now() - t0) / 1000;
    log(`all cells ran in ${report.runAllSeconds} s`);
    await sleep(1000); // let images decode and players start

    report.cells = await cellReport(page);
    report.images = report.cells.reduce((n, c) => n + c.images, 0);

    // The whole notebook, one screen at a time: JupyterLab scrolls inside the notebook panel, so scroll that
    // panel down by a screen (minus an overlap) and take a picture each time.
    await page.setViewportSize({ width: 1280, height: 1600 });
    await sleep(1000);
    const scroller = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer';
    const geometry = () => page.evaluate((sel) => {
      const el = document.querySelector(sel) || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
      return { top: el.scrollTop, height: el.scrollHeight, view: el.clientHeight };
    }, scroller);
    let g = await geometry();
    report.notebookHeightPx = g.height;
    for (let y = 0, k = 1; k <= 60; y += g.view - 100, k++) {
      await page.evaluate(([sel, y]) => {
        const el = document.querySelector(sel) || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
        el.scrollTop = y;
      }, [scroller, y]);
      await sleep(400);
      await page.screenshot({ path: shot(`full-part${String(k).padStart(2, '0')}`) });
      g = await geometry();
      if (g.top + g.view >= g.height - 2) break;
    }
    await page.evaluate((sel) => { const el = document.querySelector(sel); if (el) el.scrollTop = 0; }, scroller);
    await page.setViewportSize({ width: 1280, height: 900 });
    await sleep(500);

    report.players = [];
    for (const id of report.cells.flatMap((c) => c.players)) {
      const player = page.locator(`[id="${id}"]`);
      await player.scrollIntoViewIfNeeded();
      const n = report.players.length;
      const before = await playerState(page, id);
      await player.screenshot({ path: shot(`player${n}-before`) });
      await page.locator(`[id="${id}-play"]`).click();
      await sleep(1600);
      const playing = await playerState(page, id);
      await player.screenshot({ path: shot(`player${n}-after`) });
      // Pause first: a screenshot can take longer than a frame, so a still-running timer would have
      // moved on by the time "next" is clicked. Paused, "next" must step exactly one frame. (A player
      // without the loop switch stops by itself at its last frame: then it is paused already.)
      if (playing.playButton !== before.playButton) await page.locator(`[id="${id}-play"]`).click();
      const paused = await playerState(page, id);
      await page.locator(`[id="${id}-next"]`).click();
      const stepped = await playerState(page, id);
      report.players.push({ id, before, playing, paused, stepped });
      log(`player ${id}: slider ${before.slider} -> ${playing.slider} (label "${playing.label}")`);
    }
  } catch (e) {
    report.failure = String(e && e.stack ? e.stack : e);
    if (page) await page.screenshot({ path: shot('failure') }).catch(() => {});
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  emit(report);
  process.exit(report.failure ? 1 : 0);
}

function emit(report) {
  const text = JSON.stringify(report) + '\n';
  const file = process.argv.includes('--report') ? process.argv[process.argv.indexOf('--report') + 1] : null;
  if (file) fs.writeFileSync(file, text);
  else fs.writeSync(1, text);
}

main().catch((e) => {
  emit({ failure: String(e && e.stack ? e.stack : e) });
  process.exit(1);
});
