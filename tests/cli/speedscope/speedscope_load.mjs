// Loads Chrome Trace Event files into speedscope's own app (the release bundle of the npm
// package, unmodified) in headless Chromium, and returns what speedscope made of each: the
// profiles it shows (one per thread: name and the frames opened and closed, exported by
// speedscope's own "save" as its file format) and every warning its importer printed.
// It only drives the app; the checks are in speedscope_check.mjs.
import {execFile} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

// Runs in the page, after speedscope has set window.speedscope (the CLI's hook): loads the
// files one after another, saves each with Ctrl+S, and puts the results into the DOM.
function pageScript(files) {
  const results = []
  const warn = console.warn
  let current = null
  console.warn = (...a) => {
    if (current) current.warnings.push(a.map(String).join(' '))
    warn.apply(console, a)
  }
  const errors = []
  const error = console.error
  console.error = (...a) => {
    errors.push(a.map(String).join(' '))
    error.apply(console, a)
  }
  const log = console.log
  console.log = (...a) => {
    if (String(a[0]).startsWith('Failed')) errors.push(a.map(x => (x && x.stack) || String(x)).join(' '))
    log.apply(console, a)
  }
  let saved = null
  URL.createObjectURL = blob => {
    blob.text().then(t => (saved = t))
    return 'about:blank'
  }
  HTMLAnchorElement.prototype.click = function () {}
  const sleep = ms => new Promise(r => setTimeout(r, ms))
  async function one(f) {
    current = {name: f.name, warnings: [], exported: null, error: null}
    saved = null
    document.title = 'loading'
    window.speedscope.loadFileFromBase64(f.name, f.b64)
    const loaded = () => document.title.endsWith(' - speedscope')
    for (let i = 0; i < 2000 && !loaded(); i++) await sleep(10)
    if (!loaded())
      current.error = `speedscope did not load ${f.name}: ${errors.join('; ') || document.body.innerText}`
    else {
      window.dispatchEvent(new KeyboardEvent('keydown', {key: 's', ctrlKey: true}))
      for (let i = 0; i < 2000 && saved == null; i++) await sleep(10)
      if (saved == null) current.error = 'speedscope did not save ' + f.name
      else current.exported = JSON.parse(saved)
    }
    results.push(current)
    current = null
  }
  ;(async () => {
    for (const f of files) await one(f)
    const pre = document.createElement('pre')
    pre.id = 'lv-results'
    pre.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(results))))
    document.body.appendChild(pre)
  })()
}

export function findSpeedscope(dir) {
  const index = path.join(dir, 'node_modules', 'speedscope', 'dist', 'release', 'index.html')
  if (!fs.existsSync(index))
    throw new Error(`${index}: speedscope is not installed (npm ci in ${dir})`)
  return index
}

export async function loadInSpeedscope(index, paths, chromium = 'chromium') {
  const files = paths.map(p => ({
    name: path.basename(p),
    b64: fs.readFileSync(p).toString('base64'),
  }))
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-speedscope-'))
  const js = path.join(tmp, 'load.js')
  fs.writeFileSync(js, `(${pageScript.toString()})(${JSON.stringify(files)})`)
  const url = `file://${index}#localProfilePath=${js}`
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu-sandbox',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--allow-file-access-from-files',
    `--user-data-dir=${path.join(tmp, 'profile')}`,
    '--virtual-time-budget=600000',
    '--dump-dom',
    url,
  ]
  const out = await new Promise((resolve, reject) => {
    execFile(chromium, args, {maxBuffer: 1 << 30, timeout: 240000}, (err, stdout, stderr) => {
      if (err) reject(new Error(`${chromium} failed: ${err.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
  fs.rmSync(tmp, {recursive: true, force: true})
  const m = /<pre id="lv-results">([^<]*)<\/pre>/.exec(out)
  if (!m) throw new Error('speedscope gave no results (the page did not finish)')
  return JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'))
}

// A screenshot of speedscope showing one file, on its profile number `profile` (0: the first),
// for the docs: loads it as above and steps with speedscope's "n" key.
export async function screenshotInSpeedscope(index, file, png, profile = 0, chromium = 'chromium') {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lv-speedscope-'))
  const js = path.join(tmp, 'load.js')
  const page = (name, b64, n) => {
    window.speedscope.loadFileFromBase64(name, b64)
    const step = k => {
      if (!document.title.endsWith(' - speedscope')) return setTimeout(() => step(k), 50)
      if (k === 0) return
      for (const type of ['keydown', 'keypress', 'keyup'])
        window.dispatchEvent(new KeyboardEvent(type, {key: 'n', code: 'KeyN'}))
      setTimeout(() => step(k - 1), 100)
    }
    step(n)
  }
  fs.writeFileSync(js, `(${page.toString()})(${JSON.stringify(path.basename(file))}, ` +
      `${JSON.stringify(fs.readFileSync(file).toString('base64'))}, ${profile})`)
  await new Promise((resolve, reject) =>
    execFile(chromium, ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--allow-file-access-from-files', `--user-data-dir=${path.join(tmp, 'profile')}`,
      '--virtual-time-budget=20000', '--window-size=1280,720', `--screenshot=${png}`,
      `file://${index}#localProfilePath=${js}`], {timeout: 120000}, err => (err ? reject(err) : resolve())))
  fs.rmSync(tmp, {recursive: true, force: true})
}
