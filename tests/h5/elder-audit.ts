/**
 * Elder-friendly checks (适老化通用设计规范) measured in the browser: axe-core color-contrast,
 * computed text sizes and line heights, tap-target sizes, and statuses that carry text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../support/chromium';

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export const MIN_FONT_PX = 18;
export const MIN_LINE_HEIGHT_RATIO = 1.3;
export const MIN_TAP_PX = 60;

/**
 * What a person can tap. Taro H5 renders components as custom elements; React attaches click
 * handlers at the root, so tappable views are found by the roles and classes they carry.
 */
export const TAP_TARGETS = [
  'taro-button-core',
  'button',
  'a[href]',
  'input:not([type=hidden]):not([type=file])',
  'textarea',
  'taro-switch-core',
  'taro-checkbox-core',
  'taro-radio-core',
  'taro-picker-core',
  '[role=button]',
  '[role=link]',
  '[role=switch]',
  '[role=tab]',
  '[role=checkbox]',
  '[role=radio]',
  '[data-tap]',
  '.nut-button',
  '.nut-switch',
  '.nut-cell-clickable',
  '.nut-checkbox',
  '.nut-radio',
  '.nut-tabs-titles-item',
  '.nut-uploader-upload',
  '.nut-menu-title',
].join(',');

export async function axeContrast(page: Page): Promise<string[]> {
  const has = await page.evaluate(() => typeof (window as any).axe === 'object');
  if (!has) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const r = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['violations'] });
    return r.violations.flatMap((v: any) =>
      v.nodes.map((n: any) => `${n.target.join(' ')} — ${n.any?.[0]?.message ?? v.help} — "${(n.html as string).slice(0, 120)}"`),
    );
  });
  return violations as string[];
}

export interface ElderFindings {
  smallText: string[];
  tightLines: string[];
  smallTargets: string[];
  /** How many visible text elements and tap targets were measured (a check that measured nothing proves nothing). */
  measuredText: number;
  measuredTargets: number;
}

/** Measures every visible text element and tap target in the page. */
export async function measureElder(page: Page, targets = TAP_TARGETS): Promise<ElderFindings> {
  return page.evaluate(
    ({ targets, minFont, minRatio, minTap }) => {
      const describe = (el: Element) => {
        const id = el.id ? `#${el.id}` : '';
        const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
        const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
        return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
      };
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        // Off-screen helpers (Taro's file input sits at -4000 px) are not for people.
        if (r.right < 0 || r.bottom < 0 || r.left > document.documentElement.scrollWidth) return false;
        for (let e: Element | null = el; e; e = e.parentElement) {
          const s = getComputedStyle(e);
          if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
        }
        return true;
      };

      const smallText: string[] = [];
      const tightLines: string[] = [];
      let measuredText = 0;
      const seen = new Set<Element>();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent || !n.textContent.trim()) continue;
        const el = n.parentElement;
        if (!el || seen.has(el) || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || !visible(el)) continue;
        seen.add(el);
        measuredText++;
        const s = getComputedStyle(el);
        const size = parseFloat(s.fontSize);
        if (size < minFont) smallText.push(`${describe(el)}: font-size ${size}px`);
        const lh = s.lineHeight === 'normal' ? NaN : parseFloat(s.lineHeight);
        if (!(lh >= size * minRatio - 0.01)) tightLines.push(`${describe(el)}: line-height ${s.lineHeight} for ${size}px text`);
      }

      const smallTargets: string[] = [];
      let measuredTargets = 0;
      const all = Array.from(document.querySelectorAll(targets)).filter(visible);
      // A tap target nested in another (an <input> inside taro-input-core) is measured as the outer one.
      const outer = all.filter((el) => !all.some((o) => o !== el && o.contains(el)));
      for (const el of outer) {
        measuredTargets++;
        const r = el.getBoundingClientRect();
        if (r.width < minTap - 0.5 || r.height < minTap - 0.5) smallTargets.push(`${describe(el)}: ${Math.round(r.width)}×${Math.round(r.height)} px`);
      }
      return { smallText, tightLines, smallTargets, measuredText, measuredTargets };
    },
    { targets, minFont: MIN_FONT_PX, minRatio: MIN_LINE_HEIGHT_RATIO, minTap: MIN_TAP_PX },
  );
}
