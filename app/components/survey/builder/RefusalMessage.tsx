// Why the builder refused an edit, in the reader's language, announced to screen readers.
import { useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import type { Refusal } from "~/survey/builder/operations";

export function RefusalMessage({ refusal, onDismiss }: { refusal: Refusal | null; onDismiss: () => void }) {
  const t = useT();
  return (
    <div role="alert" data-testid="builder-refusal">
      {refusal ? (
        <p className="notice error row">
          <span>{t("builder.refused", { reason: t(`builder.refusal.${refusal.code}` as MessageKey, refusal.params) })}</span>
          <button type="button" className="link-button" onClick={onDismiss}>
            OK
          </button>
        </p>
      ) : null}
    </div>
  );
}
