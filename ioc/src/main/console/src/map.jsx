// The province drawn offline: a simplified outline of former Quang Nam (approximate, hand-made
// from rough coordinates; not survey data) and a marker per zone coloured by its worst state.
const OUTLINE = [
  [107.22, 15.85], [107.4, 16.05], [107.75, 16.08], [108.0, 16.0], [108.25, 16.03],
  [108.3, 15.97], [108.4, 15.88], [108.48, 15.78], [108.56, 15.62], [108.65, 15.5],
  [108.76, 15.4], [108.7, 15.33], [108.5, 15.3], [108.3, 15.2], [108.1, 15.05],
  [107.9, 14.95], [107.7, 15.05], [107.55, 15.25], [107.4, 15.4], [107.25, 15.55],
  [107.18, 15.72],
];
const WEST = 107.1;
const NORTH = 16.15;
const SCALE = 400;
const COS_LAT = Math.cos((15.5 * Math.PI) / 180);

function project(lon, lat) {
  return [(lon - WEST) * SCALE * COS_LAT, (NORTH - lat) * SCALE];
}

// Zone states and alert severities use their own palette (pink, blue, grey, teal), never the
// official VN_AQI band colours (green, yellow, orange, red, purple, maroon), so a tile's AQI colour
// cannot be mistaken for an alarm.
export const STATE_COLORS = {
  critical: "#ff2e88",
  warning: "#3d9bff",
  watch: "#c7d2dc",
  normal: "#1f9e89",
  unknown: "#6b7580",
};

/** Label heights, pushed apart where markers on the same side of the coast lie close together. */
function spreadLabels(zones) {
  const y = new Map();
  for (const east of [true, false]) {
    let last = -Infinity;
    zones
      .filter((z) => (z.lon >= 108.3) === east)
      .map((z) => [z.id, project(z.lon, z.lat)[1]])
      .sort((a, b) => a[1] - b[1])
      .forEach(([id, top]) => {
        const placed = Math.max(top, last + 17);
        y.set(id, placed);
        last = placed;
      });
  }
  return y;
}

export function ProvinceMap({ zones, stateOf, names, t, onSelect }) {
  const outline = OUTLINE.map(([lon, lat]) => project(lon, lat).join(",")).join(" ");
  const placed = zones.filter((z) => z.lat !== undefined && z.lon !== undefined);
  const labelY = spreadLabels(placed);
  return (
    <div class="map-box">
      <svg class="map" viewBox="0 0 780 510" role="img" aria-label={t("map")}>
        <polygon points={outline} class="province" />
        {placed.map((z) => {
          const [x, y] = project(z.lon, z.lat);
          const state = stateOf(z.id);
          const park = z.kind === "industrial_park";
          // Coastal zones are labelled over the sea, inland ones to the west; parks in smaller type.
          const east = z.lon >= 108.3;
          return (
            <g key={z.id} class={`marker ${park ? "park" : ""}`} data-zone={z.id} data-state={state}
              role="link" tabindex="0" onClick={() => onSelect?.(z.id)}
              onKeyDown={(e) => { if (e.key === "Enter") onSelect?.(z.id); }}>
              <circle cx={x} cy={y} r={park ? 9 : 13} fill={STATE_COLORS[state]} stroke="#111" stroke-width="2">
                <title>{names(z)} · {t(`state_${state}`)}</title>
              </circle>
              <text x={east ? x + 14 : x - 14} y={labelY.get(z.id) + 5} text-anchor={east ? "start" : "end"}
                class="marker-label">{names(z)}</text>
            </g>
          );
        })}
      </svg>
      <ul class="legend" aria-label={t("legend")}>
        {Object.keys(STATE_COLORS).map((s) => (
          <li key={s}><span class="dot" style={{ background: STATE_COLORS[s] }} />{t(`state_${s}`)}</li>
        ))}
      </ul>
    </div>
  );
}
