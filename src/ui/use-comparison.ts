import { useEffect, useRef, useState } from 'preact/hooks';
import { ComparisonDriver } from '../client/comparison';
import type { ComparisonState } from '../model/comparison-state';
import type { MatchRules } from '../model/match-key';
import type { ParseOptions } from '../model/profile';

/** The comparison state, re-rendered on every transition, and the driver that changes it. */
export function useComparison(rules: MatchRules, options: ParseOptions): [ComparisonState, ComparisonDriver] {
  const driver = useRef<ComparisonDriver | null>(null);
  if (!driver.current) driver.current = new ComparisonDriver(rules, options);
  const [state, setState] = useState(driver.current.state);
  useEffect(() => driver.current!.subscribe(setState), []);
  return [state, driver.current];
}
