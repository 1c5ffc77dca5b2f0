import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ComparisonDriver } from '../client/comparison';
import type { ComparisonState } from '../model/comparison-state';
import type { MatchRules } from '../model/match-key';
import type { ParseOptions } from '../model/profile';

/** The comparison state, re-rendered on every transition, and the driver that changes it. */
export function useComparison(rules: MatchRules, options: ParseOptions): [ComparisonState, ComparisonDriver] {
  const driver = useRef<ComparisonDriver | null>(null);
  if (!driver.current) driver.current = new ComparisonDriver(rules, options);
  const [state, setState] = useState(driver.current.state);
  // A layout effect, so loads started in the first render's layout effects (a share link) are seen at once;
  // and what changed before the subscription is taken up.
  useLayoutEffect(() => {
    const d = driver.current!;
    const off = d.subscribe(setState);
    setState(d.state);
    return off;
  }, []);
  return [state, driver.current];
}
