// The test chrome_in_speedscope: every scenario and variant (controlled, seed 1, which includes
// deadlocked runs) and a live deadlocked run are exported by `lockviz run --chrome`, loaded in
// speedscope's own importer, and what speedscope shows is compared with the native trace of the
// same run: one profile per thread, named and in lockviz's order; each thread's states
// (running, each wait named by what it waits for, sleeping, join) with their start and end;
// each hold on the holder's hold track with its end; and no importer warning.
// speedscope reads only B/E/X events, so the arrows and counters are checked by test_export.
//
// usage: node speedscope_check.mjs LOCKVIZ WORKDIR CORPUS [DIR_WITH_NODE_MODULES]
// (CORPUS: the trace corpus, tests/corpus)
import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {findSpeedscope, loadInSpeedscope} from './speedscope_load.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const [lockviz, work, corpus, modules = here] = process.argv.slice(2)
if (!lockviz || !work || !corpus) {
  console.error('usage: node speedscope_check.mjs LOCKVIZ WORKDIR CORPUS [DIR_WITH_NODE_MODULES]')
  process.exit(2)
}
fs.mkdirSync(work, {recursive: true})

// scenarios and variants, from `lockviz list` (of one scenario file, when given)
function scenarios(file) {
  const out = execFileSync(lockviz, file ? ['list', file] : ['list'], {encoding: 'utf8'})
  const list = []
  let inVariants = false
  for (const line of out.split('\n')) {
    let m
    if ((m = /^(\S+): /.exec(line))) list.push({name: m[1], variants: []})
    else if (/^ {2}variants:/.test(line)) inVariants = true
    else if (/^ {2}\S/.test(line)) inVariants = false
    else if (inVariants && (m = /^ {4}(\S+)/.exec(line))) list[list.length - 1].variants.push(m[1])
  }
  return list
}

const runs = []
for (const sc of scenarios())
  for (const v of sc.variants) runs.push({what: `${sc.name}/${v}`, args: [sc.name, '--variant', v, '--seed', '1']})
runs.push({what: 'deadlock/two-locks live', args: ['deadlock', '--mode', 'live', '--seed', '1']})
// a user's scenario file (LV_SCENARIO_FILE: the guide's bank example), every variant
const file = process.env.LV_SCENARIO_FILE
if (file)
  for (const sc of scenarios(file))
    for (const v of sc.variants) runs.push({what: `${sc.name}/${v} file`, args: [file, '--variant', v, '--seed', '1']})
if (runs.length < 10) throw new Error(`lockviz list gave only ${runs.length} runs`)

// Each file is named as the window's E key names it (lockviz-SCENARIO-VARIANT-seedN-chrome.json)
// and loaded under that name, as `speedscope FILE` loads it: speedscope chooses its importer by
// the name first.
for (const r of runs) {
  const base = path.join(work, `lockviz-${r.what.replace(/[/ ]/g, '-')}-seed1`)
  r.native = base + '.json'
  r.chrome = base + '-chrome.json'
  const p = spawnSync(lockviz, ['run', ...r.args, '--headless', '--out', r.native, '--chrome', r.chrome], {
    encoding: 'utf8',
    timeout: 120000,
  })
  if (p.status !== 0 && p.status !== 1)
    throw new Error(`${r.what}: lockviz run exited ${p.status}: ${p.stderr}`)
}
// a trace whose thread and lock names are 9,000 characters (Chinese and ASCII), through
// `lockviz export`: speedscope must show every name whole
{
  const src = path.join(corpus, 'good', 'long-names-deadlock.json')
  const r = {what: 'long-names (export)', native: src, chrome: path.join(work, 'long-names-chrome.json')}
  const p = spawnSync(lockviz, ['export', src, '--chrome', r.chrome], {encoding: 'utf8', timeout: 120000})
  if (p.status !== 0) throw new Error(`${r.what}: lockviz export exited ${p.status}: ${p.stderr}`)
  runs.push(r)
}
// the name lockviz avoids: the same bytes as the first export, named *.chrome.json, which
// speedscope takes for a Chrome DevTools profile and cannot load (what lockviz's note says)
const avoided = path.join(work, 'avoided.chrome.json')
fs.copyFileSync(runs[0].chrome, avoided)

let failures = 0
function fail(what, msg) {
  failures++
  console.log(`FAIL ${what}: ${msg}`)
}

// What the window draws, from the native trace (docs/trace-format.md's events): per thread, its
// states from its first event to its end (or the end of the run), and its holds.
function expected(tr) {
  const nt = tr.threads.length
  const kind = id => (id == null || id < 0 ? null : tr.objects[id].kind)
  const oname = id => tr.objects[id].name
  const isLock = k => k === 'mutex' || k === 'rlock'
  const isSem = k => k === 'semaphore' || k === 'bounded_semaphore'
  const ev = tr.events
  const tLast = ev.length ? ev[ev.length - 1].t : 0
  const ended = new Set(ev.filter(e => e.kind === 'end').map(e => e.thread))
  let tEnd = tLast
  if (ended.size < nt) {
    const gaps = []
    for (let i = 1; i < ev.length; i++) if (ev[i].t > ev[i - 1].t) gaps.push(ev[i].t - ev[i - 1].t)
    gaps.sort((a, b) => a - b)
    tEnd = tLast + 4 * (gaps.length ? gaps[gaps.length >> 1] : 1000)
  }
  // which requests and joins wait, and the event that ends each (acquire, timeout, the end)
  const waitEnd = new Map()
  const isWait = new Set()
  const open = new Array(nt).fill(null)
  const endedSoFar = new Set()
  for (const e of ev) {
    const w = open[e.thread]
    if (e.kind === 'request' || (e.kind === 'join' && !endedSoFar.has(e.value))) {
      open[e.thread] = e
      isWait.add(e.seq)
    } else if ((e.kind === 'acquire' || e.kind === 'timeout') && w && (w.kind === 'request') === (e.obj != null)) {
      waitEnd.set(w.seq, e)
      open[e.thread] = null
    } else if (e.kind === 'end') {
      endedSoFar.add(e.thread)
      for (let t = 0; t < nt; t++)
        if (open[t] && open[t].kind === 'join' && open[t].value === e.thread) {
          waitEnd.set(open[t].seq, e)
          open[t] = null
        }
    }
  }
  const states = Array.from({length: nt}, () => [])
  const holds = Array.from({length: nt}, () => new Map()) // obj -> [{t0, t1}]
  const cur = new Array(nt).fill(null) // {name, t0, on (object waited for), joins, sleepEnd}
  const go = (t, at, next) => {
    const c = cur[t]
    if (c && next && c.name === 'running' && next.name === 'running') return
    if (c) states[t].push({name: c.name, t0: c.t0, t1: at})
    cur[t] = next ? {...next, t0: at} : null
  }
  const started = new Set()
  for (const e of ev) {
    const t = e.thread
    const c = cur[t]
    if (c && c.name === 'sleeping') go(t, Math.min(c.sleepEnd, e.t), {name: 'running'})
    if (!started.has(t) && e.kind !== 'end') {
      started.add(t)
      go(t, e.t, {name: 'running'})
    }
    const k = kind(e.obj)
    if (isWait.has(e.seq)) {
      const end = waitEnd.get(e.seq)
      if (!end || end.t > e.t) {
        const how = !end ? ' (never granted)' : end.kind === 'timeout' ? ' (timed out)' : ''
        if (e.kind === 'request') go(t, e.t, {name: `wait ${k} ${oname(e.obj)}${how}`, on: e.obj})
        else go(t, e.t, {name: `join ${tr.threads[e.value].name}${how}`, joins: e.value})
      }
    } else if (e.kind === 'acquire') {
      if (c && cur[t].on === e.obj) go(t, e.t, {name: 'running'})
      if ((isLock(k) || isSem(k)) && (k !== 'rlock' || e.value == null || e.value === 1)) {
        if (!holds[t].has(e.obj)) holds[t].set(e.obj, [])
        holds[t].get(e.obj).push({t0: e.t, t1: null})
      }
    } else if (e.kind === 'timeout') {
      if (cur[t] && (cur[t].on != null || cur[t].joins != null)) go(t, e.t, {name: 'running'})
    } else if (e.kind === 'release') {
      if ((isLock(k) || isSem(k)) && (k !== 'rlock' || e.value === 0)) {
        const h = [...(holds[t].get(e.obj) || [])].reverse().find(x => x.t1 == null)
        if (h) h.t1 = e.t
      }
    } else if (e.kind === 'sleep') {
      go(t, e.t, {name: 'sleeping', sleepEnd: e.t + Math.max(0, e.value)})
    } else if (e.kind === 'end') {
      go(t, e.t, null)
      for (let j = 0; j < nt; j++) if (cur[j] && cur[j].joins === t) go(j, e.t, {name: 'running'})
    }
  }
  for (let t = 0; t < nt; t++) {
    const c = cur[t]
    if (c && c.name === 'sleeping' && c.sleepEnd < tEnd) go(t, c.sleepEnd, {name: 'running'})
    go(t, tEnd, null)
    for (const hs of holds[t].values()) for (const h of hs) if (h.t1 == null) h.t1 = tEnd
  }
  return {states, holds}
}

// speedscope's frames of one profile, as [{name, t0, t1}] in µs from the profile's start
function frames(profile, shared) {
  const out = []
  const stack = []
  for (const e of profile.events) {
    if (e.type === 'O') stack.push({name: shared.frames[e.frame].name, t0: e.at, depth: stack.length})
    else {
      const f = stack.pop()
      out.push({...f, t1: e.at})
    }
  }
  return out.sort((a, b) => a.t0 - b.t0 || a.depth - b.depth)
}

const near = (a, b) => Math.abs(a - b) < 0.002 // µs: the export writes ns exactly, as µs

function compare(what, tr, res) {
  if (res.error) return fail(what, res.error)
  if (res.warnings.length)
    return fail(what, `${res.warnings.length} importer warnings, the first: ${res.warnings[0]}`)
  const ex = res.exported
  const title = `lockviz: ${tr.scenario.name}/${tr.scenario.variant} (${tr.mode}, seed ${tr.seed}, ${tr.outcome})`
  const stride = tr.objects.length + 1
  const byName = new Map(ex.profiles.map((p, i) => [p.name, {p, i}]))
  const want = expected(tr)
  let lastIndex = -1
  tr.threads.forEach((th, t) => {
    const tid = 1 + t * stride
    const pname = `${title} (pid 1), ${th.name} (tid ${tid})`
    const got = byName.get(pname)
    if (!got) return fail(what, `no profile "${pname}" (speedscope has: ${[...byName.keys()].join(' | ')})`)
    if (got.i < lastIndex) fail(what, `${th.name} is out of lockviz's order`)
    lastIndex = got.i
    // a state of no duration draws nothing, in speedscope as in the window
    const fs_ = frames(got.p, ex.shared).filter(f => f.depth === 0 && f.t1 > f.t0)
    const ws = want.states[t].filter(s => s.t1 > s.t0)
    if (!ws.length) return
    const t0 = ws[0].t0 / 1000
    const exp = ws.map(s => ({name: s.name, t0: s.t0 / 1000 - t0, t1: s.t1 / 1000 - t0}))
    if (fs_.length !== exp.length) {
      return fail(what, `${th.name}: speedscope shows ${fs_.length} states, the trace has ${exp.length}: ` +
          `${fs_.slice(0, 6).map(f => f.name).join(', ')} ... vs ${exp.slice(0, 6).map(f => f.name).join(', ')} ...`)
    }
    for (let k = 0; k < exp.length; k++) {
      const a = fs_[k], b = exp[k]
      if (a.name !== b.name || !near(a.t0, b.t0) || !near(a.t1, b.t1))
        return fail(what, `${th.name}: state ${k} is "${a.name}" ${a.t0}..${a.t1} µs, the trace says "${b.name}" ${b.t0}..${b.t1}`)
    }
    for (const [obj, hs] of want.holds[t]) {
      const hname = `${title} (pid 1), ${th.name} holds ${tr.objects[obj].name} (tid ${tid + 1 + obj})`
      const hp = byName.get(hname)
      if (!hp) return fail(what, `no hold track "${hname}"`)
      const hf = frames(hp.p, ex.shared)
      const h0 = hs[0].t0 / 1000
      const he = hs.map(h => ({t0: h.t0 / 1000 - h0, t1: h.t1 / 1000 - h0})).sort((a, b) => a.t0 - b.t0)
      if (hf.length !== he.length)
        return fail(what, `${hname}: ${hf.length} holds shown, the trace has ${he.length}`)
      for (let k = 0; k < he.length; k++)
        if (hf[k].name !== `holds ${tr.objects[obj].name}` || !near(hf[k].t0, he[k].t0) || !near(hf[k].t1, he[k].t1))
          return fail(what, `${hname}: hold ${k} is "${hf[k].name}" ${hf[k].t0}..${hf[k].t1}, the trace says ${he[k].t0}..${he[k].t1}`)
    }
  })
}

const results = await loadInSpeedscope(findSpeedscope(modules), [...runs.map(r => r.chrome), avoided],
    process.env.CHROMIUM || 'chromium')
const avoidedResult = results.pop()
if (!avoidedResult.error)
  fail('avoided.chrome.json', 'speedscope loaded a name ending in .chrome.json: lockviz\'s note is wrong')
else console.log('ok   avoided.chrome.json: speedscope cannot load it, as lockviz says')
let sleeps = 0, waits = 0, holdsSeen = 0, deadlocked = 0
runs.forEach((r, i) => {
  const tr = JSON.parse(fs.readFileSync(r.native, 'utf8'))
  const before = failures
  compare(r.what, tr, results[i])
  if (r.what.startsWith('long-names')) {
    const longest = xs => Math.max(...xs.map(x => [...x.name].length))
    if (longest(tr.threads) < 9000 || longest(tr.objects) < 9000)
      fail(r.what, 'the corpus trace has no 9,000-character thread and lock name')
  }
  if (tr.outcome === 'deadlocked') deadlocked++
  if (results[i].exported)
    for (const f of results[i].exported.shared.frames) {
      sleeps += f.name === 'sleeping'
      waits += f.name.startsWith('wait ')
      holdsSeen += f.name.startsWith('holds ')
    }
  if (failures === before) console.log(`ok   ${r.what}: ${results[i].exported.profiles.length} profiles in speedscope`)
})
// the run set must exercise what is checked
if (!deadlocked) fail('runs', 'no deadlocked run')
if (!sleeps || !waits || !holdsSeen) fail('runs', `sleeps ${sleeps}, waits ${waits}, holds ${holdsSeen}: some never shown`)
console.log(`${runs.length + 1 - Math.min(failures, runs.length + 1)} passed, ${failures} failed`)
process.exit(failures ? 1 : 0)
