// The palette: measurement blocks bound to the touchpoint's attributes, whole instruments, and plain
// questions, added to the chosen page.
import { useState } from "react";
import { useLang, useT } from "~/i18n/use-t";
import { PLAIN_TYPES, type BuilderModel } from "~/survey/builder/document";
import { addBlock, addPage, addPlainQuestion, type EditResult } from "~/survey/builder/operations";
import { ATTRIBUTE_BLOCKS, INSTRUMENT_BLOCKS, VISIT_BLOCKS } from "~/survey/builder/palette";
import type { SurveyTouchpoint } from "~/survey/types";

type Props = {
  model: BuilderModel;
  touchpoint: SurveyTouchpoint;
  apply: (result: EditResult) => boolean;
};

export function Palette({ model, touchpoint, apply }: Props) {
  const t = useT();
  const lang = useLang();
  const [page, setPage] = useState(0);
  const [attribute, setAttribute] = useState(touchpoint.attributes[0]?.key ?? "");
  const target = Math.min(page, model.pages.length - 1);
  return (
    <section className="card palette" aria-labelledby="palette-title">
      <h2 id="palette-title">{t("builder.palette")}</h2>
      <div className="row">
        <label htmlFor="palette-page">
          {t("builder.palette.page")}
          <select id="palette-page" value={target} onChange={(e) => setPage(Number(e.target.value))}>
            {model.pages.map((_, i) => (
              <option key={i} value={i}>
                {t("builder.page", { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary small" onClick={() => apply(addPage(model, touchpoint)) && setPage(model.pages.length)}>
          {t("builder.addPage")}
        </button>
      </div>
      <fieldset>
        <legend>{t("builder.palette.measures")}</legend>
        {touchpoint.attributes.length > 0 ? (
          <div className="row">
            <label htmlFor="palette-attribute">
              {t("builder.palette.attribute")}
              <select id="palette-attribute" value={attribute} onChange={(e) => setAttribute(e.target.value)}>
                {touchpoint.attributes.map((a) => (
                  <option key={a.key} value={a.key}>
                    {lang === "es" ? a.label.es : a.label.en}
                  </option>
                ))}
              </select>
            </label>
            {ATTRIBUTE_BLOCKS.map((block) => (
              <button key={block} type="button" className="secondary small" onClick={() => apply(addBlock(model, touchpoint, target, { block, attribute }))}>
                {t(`builder.block.${block}`)}
              </button>
            ))}
          </div>
        ) : (
          <p className="muted">{t("builder.palette.noAttributes")}</p>
        )}
        <div className="row palette-row">
          {VISIT_BLOCKS.map((block) => (
            <button key={block} type="button" className="secondary small" onClick={() => apply(addBlock(model, touchpoint, target, { block }))}>
              {t(`builder.block.${block}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("builder.palette.instruments")}</legend>
        <div className="row">
          {INSTRUMENT_BLOCKS.map((block) => (
            <button key={block} type="button" className="secondary small" onClick={() => apply(addBlock(model, touchpoint, target, { block }))}>
              {t(`builder.block.${block}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("builder.palette.plain")}</legend>
        <div className="row">
          {PLAIN_TYPES.map((type) => (
            <button key={type} type="button" className="secondary small" onClick={() => apply(addPlainQuestion(model, touchpoint, target, type))}>
              {t(`builder.type.${type}`)}
            </button>
          ))}
        </div>
      </fieldset>
    </section>
  );
}
