// A designer-given name in the reader's language, flagged when one language is missing so the
// designer sees what still needs translating.
import { localName, missingLanguage, type Named } from "~/i18n/names";
import { useLang, useT } from "~/i18n/use-t";

export function useLocalName(): (item: Named) => string {
  const lang = useLang();
  return (item) => localName(item, lang);
}

/** The mark beside an untranslated name (shown to everyone: a reader also learns why the name is in the other language). */
export function MissingTranslation({ item }: { item: Named }) {
  const t = useT();
  const missing = missingLanguage(item);
  if (!missing) return null;
  const label = t(missing === "en" ? "names.missingEn" : "names.missingEs");
  return (
    <span className="badge untranslated" title={label} aria-label={label}>
      {missing === "en" ? "EN?" : "ES?"}
    </span>
  );
}

export function LocalName({ item, flag = false }: { item: Named; flag?: boolean }) {
  const name = useLocalName()(item);
  return (
    <>
      {name}
      {flag ? (
        <>
          {" "}
          <MissingTranslation item={item} />
        </>
      ) : null}
    </>
  );
}
