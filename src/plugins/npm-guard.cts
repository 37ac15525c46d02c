/**
 * Preloaded into npm (NODE_OPTIONS=--require) by `plugins install`: npm must die
 * with the roomsim process that started it, even when that one is SIGKILLed and
 * cannot pass anything on. The top npm process leads its own process group, so
 * it takes every child of its own with it.
 */
const parent = Number(process.env.ROOMSIM_NPM_PARENT)

function parentGone(): boolean {
  try {
    process.kill(parent, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

if (Number.isInteger(parent) && parent > 0) {
  const timer = setInterval(() => {
    if (!parentGone()) return
    try {
      process.kill(-process.pid, 'SIGKILL')
    } catch {
      // Not a group leader (a child of npm): this process alone.
    }
    process.kill(process.pid, 'SIGKILL')
  }, 200)
  timer.unref()
}
