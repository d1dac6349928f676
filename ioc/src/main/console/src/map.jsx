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

export const STATE_COLORS = {
  critical: "#e53935",
  warning: "#fb8c00",
  watch: "#fdd835",
  normal: "#43a047",
  unknown: "#9e9e9e",
};

export function ProvinceMap({ zones, stateOf, names, t }) {
  const outline = OUTLINE.map(([lon, lat]) => project(lon, lat).join(",")).join(" ");
  return (
    <svg class="map" viewBox="0 0 780 510" role="img" aria-label={t("map")}>
      <polygon points={outline} class="province" />
      {zones
        .filter((z) => z.lat !== undefined && z.lon !== undefined)
        .map((z) => {
          const [x, y] = project(z.lon, z.lat);
          const state = stateOf(z.id);
          return (
            <g key={z.id} class="marker" data-zone={z.id} data-state={state}>
              <circle cx={x} cy={y} r={z.kind === "industrial_park" ? 9 : 13}
                fill={STATE_COLORS[state]} stroke="#111" stroke-width="2">
                <title>{names(z)}</title>
              </circle>
              {z.kind !== "industrial_park" && (
                // Coastal zones are labelled over the sea, inland ones to the west: no overlap.
                <text x={z.lon >= 108.3 ? x + 16 : x - 16} y={y + 5}
                  text-anchor={z.lon >= 108.3 ? "start" : "end"} class="marker-label">{names(z)}</text>
              )}
            </g>
          );
        })}
    </svg>
  );
}
