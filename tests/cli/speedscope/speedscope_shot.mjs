// Writes the screenshot in docs/: node speedscope_shot.mjs NODE_MODULES_DIR TRACE.json OUT.png [PROFILE]
import {findSpeedscope, screenshotInSpeedscope} from './speedscope_load.mjs'
const [dir, file, png, profile = '0'] = process.argv.slice(2)
await screenshotInSpeedscope(findSpeedscope(dir), file, png, Number(profile))
