"""The conductor: builds, reschedules, the build watchdog and the computes' object proxy."""
