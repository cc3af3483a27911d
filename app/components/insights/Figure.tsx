// One insights figure in a table cell: the value with its interval (a link to the responses behind
// it when given), "n<min" when withheld, a dash when not asked. Never a number without its n: the
// withheld mark carries the n in its title and in text for screen readers.
import type { ReactNode } from "react";
import type { Figure } from "~/cem/insights";
import { useT } from "~/i18n/use-t";

type Shown = { main: string; interval?: string };

export function FigureValue<T>({ figure, render, href }: { figure: Figure<T>; render: (value: T) => Shown; href?: string }) {
  const t = useT();
  if (figure === null) {
    return (
      <span className="ins-na">
        <span aria-hidden="true">—</span>
        <span className="sr-only">{t("insights.notAsked")}</span>
      </span>
    );
  }
  if (figure.status === "withheld") {
    const title = t("insights.withheldTitle", { n: figure.n, minN: figure.minN });
    return (
      <span className="ins-withheld" title={title}>
        <span aria-hidden="true">{t("insights.withheld", { minN: figure.minN })}</span>
        <span className="sr-only">{title}</span>
      </span>
    );
  }
  const shown = render(figure.value);
  const main: ReactNode = href ? (
    <a href={href} title={t("insights.drill")}>
      {shown.main}
    </a>
  ) : (
    shown.main
  );
  return (
    <>
      {main}
      {shown.interval ? <span className="ins-ci"> {shown.interval}</span> : null}
    </>
  );
}

export function FigureCell<T>(props: { figure: Figure<T>; render: (value: T) => Shown; href?: string }) {
  return (
    <td className="num">
      <FigureValue {...props} />
    </td>
  );
}
