// A wide table's box: it scrolls sideways under a sticky first column (insights.css), and when the
// table is wider than the box a line above it says so. The box also shades its scrollable edge
// with CSS alone, so the cue stays without JavaScript.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useT } from "~/i18n/use-t";

export function TableScroll({ children, testId }: { children: ReactNode; testId?: string }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {overflows ? (
        <p className="muted scroll-hint" data-testid={testId ? `${testId}-scroll-hint` : undefined}>
          <span aria-hidden="true">↔ </span>
          {t("scroll.tableHint")}
        </p>
      ) : null}
      {/* Every row holds links, so tabbing through them scrolls the box for a keyboard user. */}
      <div className="table-wrap table-scroll" ref={box}>
        {children}
      </div>
    </>
  );
}
