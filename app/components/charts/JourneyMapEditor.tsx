// The journey map, editable: each card gets a handle to drag it to another stage, lane or position,
// or to move it with the keyboard (Space/Enter picks up, arrows move, Space/Enter drops, Escape
// cancels; every step announced), which is the single-pointer alternative WCAG 2.5.7 asks for. A click
// on an empty part of a cell opens a small form to add a touchpoint there. Moves are saved by the
// route's action (app/web/journey-map-edit.server.ts); the map redraws from the saved journey.
import { useFetcher, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from "react";
import type { Channel, Side } from "~/cem/journey";
import { useT } from "~/i18n/use-t";
import { JourneyMap, type JourneyMapLabels, type JourneyMapProps } from "./JourneyMap";
import { layoutJourneyMap, type JourneyMapLayout, type LaneBy, type MapCard } from "./journey-map-layout";

type Target = { stage: number; lane: number; index: number };
type Drag = { key: string; startX: number; startY: number; dx: number; dy: number; moving: boolean; target: Target | null };

const DRAG_THRESHOLD = 4;

/** The cards already in a cell, in journey order, leaving out the one being moved. */
function cellCards(layout: JourneyMapLayout, target: Pick<Target, "stage" | "lane">, moving: string | null): MapCard[] {
  const stage = layout.columns[target.stage]?.key;
  const lane = layout.lanes[target.lane]?.key;
  return layout.cards.filter((c) => c.stageKey === stage && c.laneKey === lane && c.key !== moving);
}

/** The cell and position under a point of the map (map coordinates), or null outside the cells. */
function targetAt(layout: JourneyMapLayout, x: number, y: number, moving: string | null): Target | null {
  const stage = layout.columns.findIndex((c) => x >= c.x && x < c.x + c.width);
  const lane = layout.lanes.findIndex((l) => y >= l.y && y < l.y + l.height);
  if (stage < 0 || lane < 0) return null;
  // Reading order inside the cell: cards on rows above, then cards on the same row to the left.
  const before = cellCards(layout, { stage, lane }, moving).filter((c) => c.y + c.h < y || (y >= c.y && y <= c.y + c.h && c.x + c.w / 2 < x));
  return { stage, lane, index: before.length };
}

function currentTarget(layout: JourneyMapLayout, card: MapCard): Target {
  const stage = layout.columns.findIndex((c) => c.key === card.stageKey);
  const lane = layout.lanes.findIndex((l) => l.key === card.laneKey);
  return { stage, lane, index: cellCards(layout, { stage, lane }, card.key).filter((c) => c.index < card.index).length };
}

/** Where the drop marker goes: a bar before the card at the index, or after the cell's last card. */
function markerOf(layout: JourneyMapLayout, target: Target, moving: string | null) {
  const column = layout.columns[target.stage];
  const lane = layout.lanes[target.lane];
  const cards = cellCards(layout, target, moving);
  const at = cards[target.index];
  const last = cards[cards.length - 1];
  const bar = at ? { x: at.x - 6, y: at.y } : last ? { x: last.x + last.w + 2, y: last.y } : { x: column.x + 6, y: lane.y + 10 };
  return { cell: { x: column.x, y: lane.y, width: column.width, height: lane.height }, bar };
}

type Props = Omit<JourneyMapProps, "onSelectHref" | "width"> & {
  laneBy: LaneBy;
  labels: Partial<JourneyMapLabels>;
  hrefOf: (touchpointKey: string) => string;
};

export function JourneyMapEditor({ journey, laneBy, labels, scores, colorScale, hrefOf }: Props) {
  const t = useT();
  const fetcher = useFetcher<{ saved?: boolean; fields?: Record<string, string> }>();
  const navigate = useNavigate();
  const layout = layoutJourneyMap(journey, { laneBy });
  const [picked, setPicked] = useState<{ key: string; target: Target } | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [adding, setAdding] = useState<{ stage: number; lane: number; x: number; y: number } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const overlay = useRef<HTMLDivElement>(null);
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const refocus = useRef<string | null>(null);

  const laneName = (key: string | null) =>
    key === null
      ? (labels.noProcess ?? "—")
      : laneBy === "channel"
        ? (labels.channels?.[key as Channel] ?? key)
        : laneBy === "side"
          ? (labels.sides?.[key as Side] ?? key)
          : (journey.processes?.find((p) => p.key === key)?.name ?? key);
  const where = (target: Target, moving: string) =>
    t("map.edit.where", {
      stage: layout.columns[target.stage]?.label ?? "",
      lane: laneName(layout.lanes[target.lane]?.key ?? null),
      position: target.index + 1,
      count: cellCards(layout, target, moving).length + 1,
    });

  // After a save the map is drawn again: focus returns to the handle of the card that moved.
  useEffect(() => {
    if (fetcher.state === "idle" && refocus.current) {
      handles.current.get(refocus.current)?.focus();
      refocus.current = null;
      if (fetcher.data?.saved) setAnnouncement((a) => `${a} ${t("map.edit.saved")}`);
    }
  }, [fetcher.state, fetcher.data, t]);

  function save(key: string, target: Target) {
    refocus.current = key;
    fetcher.submit(
      {
        intent: "place",
        tp: key,
        stage: layout.columns[target.stage].key,
        laneBy,
        lane: layout.lanes[target.lane].key ?? "",
        index: String(target.index),
      },
      { method: "post" },
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, card: MapCard) {
    const pickKeys = event.key === " " || event.key === "Enter";
    if (!picked || picked.key !== card.key) {
      if (pickKeys) {
        event.preventDefault();
        const target = currentTarget(layout, card);
        setPicked({ key: card.key, target });
        setAnnouncement(t("map.edit.picked", { name: card.name, where: where(target, card.key) }));
      }
      return;
    }
    let next = picked.target;
    if (pickKeys) {
      event.preventDefault();
      setPicked(null);
      setAnnouncement(t("map.edit.dropped", { name: card.name, where: where(next, card.key) }));
      save(card.key, next);
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      setPicked(null);
      setAnnouncement(t("map.edit.cancelled", { name: card.name }));
      return;
    }
    const count = (target: Pick<Target, "stage" | "lane">) => cellCards(layout, target, card.key).length;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      const stage = next.stage + (event.key === "ArrowLeft" ? -1 : 1);
      if (stage < 0 || stage >= layout.columns.length) return;
      next = { stage, lane: next.lane, index: Math.min(next.index, count({ stage, lane: next.lane })) };
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const up = event.key === "ArrowUp";
      // Through the positions of the cell, then on into the lane above or below.
      if (up && next.index > 0) next = { ...next, index: next.index - 1 };
      else if (!up && next.index < count(next)) next = { ...next, index: next.index + 1 };
      else {
        const lane = next.lane + (up ? -1 : 1);
        if (lane < 0 || lane >= layout.lanes.length) return;
        next = { stage: next.stage, lane, index: up ? count({ stage: next.stage, lane }) : 0 };
      }
    } else return;
    event.preventDefault();
    setPicked({ key: card.key, target: next });
    setAnnouncement(where(next, card.key));
  }

  const point = (event: { clientX: number; clientY: number }) => {
    const box = overlay.current!.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  function onPointerDown(event: PointerEvent<HTMLButtonElement>, card: MapCard) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setDrag({ key: card.key, startX: event.clientX, startY: event.clientY, dx: 0, dy: 0, moving: false, target: null });
  }

  function onPointerMove(event: PointerEvent<HTMLButtonElement>) {
    if (!drag) return;
    const dx = event.clientX - drag.startX;
    const dy = event.clientY - drag.startY;
    const moving = drag.moving || Math.hypot(dx, dy) > DRAG_THRESHOLD;
    const p = point(event);
    setDrag({ ...drag, dx, dy, moving, target: moving ? targetAt(layout, p.x, p.y, drag.key) : null });
  }

  function onPointerUp(card: MapCard) {
    if (!drag) return;
    setDrag(null);
    // A press without a drag opens the touchpoint, as the read-only map's card link does.
    if (!drag.moving) return navigate(hrefOf(card.key));
    if (drag.target) {
      setAnnouncement(t("map.edit.dropped", { name: card.name, where: where(drag.target, card.key) }));
      save(card.key, drag.target);
    }
  }

  function onOverlayClick(event: MouseEvent<HTMLDivElement>) {
    if (event.target !== event.currentTarget) return;
    const p = point(event);
    const target = targetAt(layout, p.x, p.y, null);
    setAdding(target ? { stage: target.stage, lane: target.lane, x: p.x, y: p.y } : null);
  }

  const active = drag?.moving ? drag.target && { key: drag.key, target: drag.target } : picked;
  const marker = active ? markerOf(layout, active.target, active.key) : null;

  return (
    <div className="jm-editor" style={{ position: "relative", width: layout.width }}>
      <JourneyMap journey={journey} laneBy={laneBy} labels={labels} scores={scores} colorScale={colorScale} />
      {/* Click-to-add is a pointer shortcut: from the keyboard, each stage's "Add touchpoint" link does the same. */}
      {/* eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions */}
      <div
        ref={overlay}
        className="jm-overlay"
        style={{ position: "absolute", left: 0, top: 0, width: layout.width, height: layout.height }}
        onClick={onOverlayClick}
        data-testid="map-overlay"
      >
        {marker ? (
          <>
            <div className="jm-drop-cell" style={{ left: marker.cell.x, top: marker.cell.y, width: marker.cell.width, height: marker.cell.height }} />
            <div className="jm-drop-bar" style={{ left: marker.bar.x, top: marker.bar.y }} />
          </>
        ) : null}
        {layout.cards.map((card) => {
          const dragging = drag?.key === card.key && drag.moving;
          return (
            <button
              key={card.key}
              type="button"
              ref={(el) => {
                if (el) handles.current.set(card.key, el);
                else handles.current.delete(card.key);
              }}
              className={`jm-handle${picked?.key === card.key ? " jm-handle--picked" : ""}${dragging ? " jm-handle--dragging" : ""}`}
              style={{ left: card.x, top: card.y, width: card.w, height: card.h, transform: dragging ? `translate(${drag.dx}px, ${drag.dy}px)` : undefined }}
              aria-label={t("map.edit.handle", { name: card.name })}
              aria-describedby="jm-edit-help"
              aria-pressed={picked?.key === card.key}
              data-touchpoint-handle={card.key}
              data-stage={card.stageKey}
              data-lane={card.laneKey ?? ""}
              onKeyDown={(e) => onKeyDown(e, card)}
              onBlur={() => {
                if (picked?.key === card.key) {
                  setPicked(null);
                  setAnnouncement(t("map.edit.cancelled", { name: card.name }));
                }
              }}
              onPointerDown={(e) => onPointerDown(e, card)}
              onPointerMove={onPointerMove}
              onPointerUp={() => onPointerUp(card)}
              onPointerCancel={() => setDrag(null)}
            />
          );
        })}
        {adding ? <AddHere layout={layout} laneBy={laneBy} at={adding} laneName={laneName} onClose={() => setAdding(null)} /> : null}
      </div>
      <p id="jm-edit-help" className="muted jm-edit-help">
        {t("map.edit.help")}
      </p>
      <div className="jm-announcer" aria-live="assertive" aria-atomic="true" data-testid="map-announcer">
        {announcement}
      </div>
      {fetcher.data?.fields ? (
        <p className="notice error" role="alert">
          {Object.values(fetcher.data.fields).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function AddHere({
  layout,
  laneBy,
  at,
  laneName,
  onClose,
}: {
  layout: JourneyMapLayout;
  laneBy: LaneBy;
  at: { stage: number; lane: number; x: number; y: number };
  laneName: (key: string | null) => string;
  onClose: () => void;
}) {
  const t = useT();
  const fetcher = useFetcher<{ saved?: boolean; fields?: Record<string, string> }>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.saved) onClose();
  }, [fetcher.state, fetcher.data, onClose]);
  const lane = layout.lanes[at.lane];
  const error = fetcher.data?.fields?.name;
  return (
    <fetcher.Form
      method="post"
      className="jm-add card"
      style={{ left: Math.min(at.x, layout.width - 240), top: at.y }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
      aria-label={t("map.edit.addTitle")}
    >
      <input type="hidden" name="intent" value="addAt" />
      <input type="hidden" name="stage" value={layout.columns[at.stage].key} />
      <input type="hidden" name="laneBy" value={laneBy} />
      <input type="hidden" name="lane" value={lane.key ?? ""} />
      <p className="muted">{t("map.edit.addWhere", { stage: layout.columns[at.stage].label, lane: laneName(lane.key) })}</p>
      <label htmlFor="jm-add-name">
        {t("map.edit.addName")}
        <input ref={input} id="jm-add-name" name="name" aria-invalid={error ? true : undefined} aria-describedby={error ? "jm-add-error" : undefined} />
        {error ? (
          <span id="jm-add-error" className="field-error">
            {error}
          </span>
        ) : null}
      </label>
      <div className="actions">
        <button type="submit" className="small">
          {t("map.edit.add")}
        </button>
        <button type="button" className="secondary small" onClick={onClose}>
          {t("form.cancel")}
        </button>
      </div>
    </fetcher.Form>
  );
}
