// The map is drawn from data: the zones' GeoJSON boundaries served by the API (the shipped ones
// are approximate outlines) and a marker per zone at its coordinates, coloured by its worst state.
// Nothing here knows a place: the view fits whatever the API serves.
const WIDTH = 780;
const HEIGHT = 510;
const PAD = 24;

/** Outer rings ([lon, lat] lists) of a GeoJSON geometry. */
function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return geometry.coordinates.slice(0, 1);
  if (geometry.type === "MultiPolygon") return geometry.coordinates.map((p) => p[0]);
  return [];
}

/** A projection fitting every boundary and marker into the view (equirectangular, scaled). */
export function projection(features, zones) {
  const points = features.flatMap((f) => rings(f.geometry).flat());
  zones.forEach((z) => { if (z.lat !== undefined && z.lon !== undefined) points.push([z.lon, z.lat]); });
  if (points.length === 0) return { project: () => [WIDTH / 2, HEIGHT / 2], midLon: 0 };
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [west, east] = [Math.min(...lons), Math.max(...lons)];
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  const cosLat = Math.cos((((north + south) / 2) * Math.PI) / 180);
  const spanX = Math.max((east - west) * cosLat, 1e-6);
  const spanY = Math.max(north - south, 1e-6);
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (HEIGHT - 2 * PAD) / spanY);
  const offsetX = (WIDTH - spanX * scale) / 2;
  const offsetY = (HEIGHT - spanY * scale) / 2;
  return {
    project: (lon, lat) => [offsetX + (lon - west) * cosLat * scale, offsetY + (north - lat) * scale],
    midLon: (west + east) / 2,
  };
}

/** How deep a zone sits under the top: parents are drawn before (under) their children. */
function depth(id, parents) {
  let d = 0;
  for (let at = parents.get(id); at && d < 50; at = parents.get(at)) d++;
  return d;
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

/** Label heights, pushed apart where markers on the same side of the map lie close together. */
function spreadLabels(zones, project, midLon) {
  const y = new Map();
  for (const east of [true, false]) {
    let last = -Infinity;
    zones
      .filter((z) => (z.lon >= midLon) === east)
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

export function ZoneMap({ zones, geo, stateOf, names, t, onSelect }) {
  const features = geo?.features ?? [];
  const { project, midLon } = projection(features, zones);
  const parents = new Map(zones.map((z) => [z.id, z.parent]));
  const outlines = features
    .filter((f) => rings(f.geometry).length > 0)
    .sort((a, b) => depth(a.id, parents) - depth(b.id, parents));
  const placed = zones.filter((z) => z.lat !== undefined && z.lon !== undefined);
  const labelY = spreadLabels(placed, project, midLon);
  return (
    <div class="map-box">
      <svg class="map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t("map")}>
        {outlines.flatMap((f) => rings(f.geometry).map((ring, i) => (
          <polygon key={`${f.id}-${i}`} data-zone={f.id} data-approximate={String(Boolean(f.properties?.approximate))}
            class={parents.get(f.id) ? "boundary" : "province"}
            points={ring.map(([lon, lat]) => project(lon, lat).map((v) => v.toFixed(1)).join(",")).join(" ")} />
        )))}
        {placed.map((z) => {
          const [x, y] = project(z.lon, z.lat);
          const state = stateOf(z.id);
          const park = z.kind === "industrial_park";
          // Markers east of the middle are labelled to the east, the others to the west.
          const east = z.lon >= midLon;
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
