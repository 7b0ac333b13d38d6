// Median and spread of a list of timings (ms).

/** { median, min, max, p25, p75, n }: the median and the interquartile range are what we report. */
export function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => {
    const pos = (s.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { median: at(0.5), p25: at(0.25), p75: at(0.75), min: s[0], max: s[s.length - 1], n: s.length };
}
