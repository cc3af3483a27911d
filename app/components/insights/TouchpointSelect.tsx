// The touchpoint picker of the insights filter bars; the first option says what "none chosen" means.
export function TouchpointSelect({
  label,
  emptyLabel,
  value,
  touchpoints,
}: {
  label: string;
  emptyLabel: string;
  value: string | null | undefined;
  touchpoints: readonly { key: string; name: string }[];
}) {
  return (
    <label>
      {label}
      <select name="touchpoint" defaultValue={value ?? ""}>
        <option value="">{emptyLabel}</option>
        {touchpoints.map((tp) => (
          <option key={tp.key} value={tp.key}>
            {tp.name}
          </option>
        ))}
      </select>
    </label>
  );
}
