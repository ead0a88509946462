/** Whether the user asked for less motion: then the map jumps instead of flying. */
export const prefersReducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false
