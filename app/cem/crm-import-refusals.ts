// Why a web CSV import could not run or start, as codes the import page words in the reader's language,
// with the English text the jobs list keeps (a job's error column is one text for every kind of job).
export type ImportFailure =
  | { code: "too_large"; maxMb: number }
  | { code: "interrupted" }
  | { code: "no_file" }
  | { code: "no_kind" }
  | { code: "empty" }
  | { code: "gone" }
  | { code: "write_failed"; detail: string };

export type StartRefusal =
  | { code: "not_found" }
  | { code: "running" }
  | { code: "imported" }
  | { code: "no_file" }
  | { code: "mapping"; missing: string[]; unknown: string[] };

const WRITE_FAILED = "Nothing was imported: ";

export function importFailureText(failure: ImportFailure): string {
  switch (failure.code) {
    case "too_large":
      return `The file is larger than ${failure.maxMb} MB; import it with the command line (npm run cem -- crm import …).`;
    case "interrupted":
      return "The upload was interrupted or malformed; choose the file and upload it again.";
    case "no_file":
      return "Choose a CSV file to upload.";
    case "no_kind":
      return "Say whether the file holds customers or events.";
    case "empty":
      return "The file is empty or has no header line.";
    case "gone":
      return "This upload is gone (uploads are kept two hours); upload the file again.";
    case "write_failed":
      return WRITE_FAILED + failure.detail;
  }
}

/**
 * The failure behind the text a job ended with. The job runner records a failed job's text only, so the
 * two failures it can meet (the stored file gone, the write refused) are read back from their wording.
 */
export function failureOfText(text: string): ImportFailure | null {
  if (text === importFailureText({ code: "gone" })) return { code: "gone" };
  if (text.startsWith(WRITE_FAILED)) return { code: "write_failed", detail: text.slice(WRITE_FAILED.length) };
  return null;
}
