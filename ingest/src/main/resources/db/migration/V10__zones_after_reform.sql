-- Zones after the administrative reform of 2025 (Resolution 202/2025/QH15): since 1 July 2025 the
-- former Quang Nam province is part of Da Nang City, and its former cities and towns are wards.
-- Ids (slugs) stay: they are the InfluxDB tag `zone` of stored data and the references of devices,
-- rules, users and KPI definitions. Names and kinds are changed only where they are still the
-- ones V2 shipped, so an operator's own edits survive the upgrade.

-- The official administrative-unit code, where one is known (null otherwise; never guessed).
ALTER TABLE zone ADD COLUMN code VARCHAR(16);

-- Ids of zones merged into another: old data stays stored under them, queries follow the alias.
CREATE TABLE zone_alias (
    alias      VARCHAR(64) NOT NULL PRIMARY KEY,
    zone       VARCHAR(64) NOT NULL REFERENCES zone (id),
    created_at BIGINT      NOT NULL
);
CREATE INDEX zone_alias_zone ON zone_alias (zone);

-- Each zone's boundary as a GeoJSON geometry (Polygon or MultiPolygon), drawn by the console;
-- it goes with its zone (the import of a pre-one-store registry file replaces every zone).
CREATE TABLE zone_boundary (
    zone        VARCHAR(64)      NOT NULL PRIMARY KEY REFERENCES zone (id) ON DELETE CASCADE,
    geometry    VARCHAR(1000000) NOT NULL,
    approximate BOOLEAN          DEFAULT TRUE NOT NULL,
    updated_at  BIGINT           NOT NULL
);

-- The top of the hierarchy. Code 48: Da Nang in the national list of administrative-unit codes
-- (Decision 124/2004/QD-TTg), which the merged city keeps.
INSERT INTO zone (id, name, kind, parent, lat, lon, code)
    VALUES ('da-nang', 'Thành phố Đà Nẵng', 'city', NULL, 16.0544, 108.2022, '48');
-- The domain catalogue places three parks in the Chu Lai open economic zone; no unit code.
INSERT INTO zone (id, name, kind, parent, lat, lon, code)
    VALUES ('kkt-chu-lai', 'Khu kinh tế mở Chu Lai', 'economic_zone', 'da-nang', 15.47, 108.62, NULL);

UPDATE zone SET name = 'Tam Kỳ', kind = 'ward' WHERE id = 'tam-ky' AND name = 'Tam Ky';
UPDATE zone SET name = 'Hội An', kind = 'ward' WHERE id = 'hoi-an' AND name = 'Hoi An';
UPDATE zone SET name = 'Điện Bàn', kind = 'ward'
    WHERE id = 'dien-ban' AND name = 'Dien Ban (Vinh Dien)';
UPDATE zone SET name = 'KCN Điện Nam – Điện Ngọc'
    WHERE id = 'kcn-dien-nam-dien-ngoc' AND name = 'Dien Nam – Dien Ngoc industrial park';
UPDATE zone SET name = 'KCN Thuận Yên'
    WHERE id = 'kcn-thuan-yen' AND name = 'Thuan Yen industrial park';
UPDATE zone SET name = 'KCN Tam Thăng'
    WHERE id = 'kcn-tam-thang' AND name = 'Tam Thang industrial park';
UPDATE zone SET name = 'KCN Bắc Chu Lai'
    WHERE id = 'kcn-bac-chu-lai' AND name = 'Bac Chu Lai industrial park';
UPDATE zone SET name = 'KCN Tam Hiệp'
    WHERE id = 'kcn-tam-hiep' AND name = 'Tam Hiep industrial park';

-- The parent chain, where the zone has none yet: wards under the city, parks under their ward or
-- the economic zone.
UPDATE zone SET parent = 'da-nang' WHERE id IN ('tam-ky', 'hoi-an', 'dien-ban') AND parent IS NULL;
UPDATE zone SET parent = 'kkt-chu-lai'
    WHERE id IN ('kcn-tam-thang', 'kcn-bac-chu-lai', 'kcn-tam-hiep') AND parent IS NULL;
UPDATE zone SET parent = 'dien-ban' WHERE id = 'kcn-dien-nam-dien-ngoc' AND parent IS NULL;
UPDATE zone SET parent = 'tam-ky' WHERE id = 'kcn-thuan-yen' AND parent IS NULL;

-- Approximate boundaries (GeoJSON geometries, [lon, lat]): the city's outline is hand-drawn from
-- rough coordinates, wards, parks and the economic zone are hexagons around their coordinates.
-- Not survey data: each is marked approximate until an operator replaces it (PUT /api/v1/zones/geojson).
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[107.22,15.85],[107.45,16.05],[107.8,16.2],[108.05,16.22],[108.2,16.14],[108.33,16.1],[108.3,15.97],[108.4,15.88],[108.48,15.78],[108.56,15.62],[108.65,15.5],[108.76,15.4],[108.7,15.33],[108.5,15.3],[108.3,15.2],[108.1,15.05],[107.9,14.95],[107.7,15.05],[107.55,15.25],[107.4,15.4],[107.25,15.55],[107.18,15.72],[107.22,15.85]]]}', TRUE, 0 FROM zone WHERE id = 'da-nang';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.7134,15.47],[108.6667,15.5479],[108.5733,15.5479],[108.5266,15.47],[108.5733,15.3921],[108.6667,15.3921],[108.7134,15.47]]]}', TRUE, 0 FROM zone WHERE id = 'kkt-chu-lai';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.5227,15.5736],[108.4994,15.6126],[108.4526,15.6126],[108.4293,15.5736],[108.4526,15.5346],[108.4994,15.5346],[108.5227,15.5736]]]}', TRUE, 0 FROM zone WHERE id = 'tam-ky';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.3644,15.879],[108.3462,15.9093],[108.3098,15.9093],[108.2916,15.879],[108.3098,15.8487],[108.3462,15.8487],[108.3644,15.879]]]}', TRUE, 0 FROM zone WHERE id = 'hoi-an';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.2964,15.9],[108.2782,15.9303],[108.2418,15.9303],[108.2236,15.9],[108.2418,15.8697],[108.2782,15.8697],[108.2964,15.9]]]}', TRUE, 0 FROM zone WHERE id = 'dien-ban';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.2756,15.96],[108.2678,15.973],[108.2522,15.973],[108.2444,15.96],[108.2522,15.947],[108.2678,15.947],[108.2756,15.96]]]}', TRUE, 0 FROM zone WHERE id = 'kcn-dien-nam-dien-ngoc';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.4725,15.58],[108.4662,15.5904],[108.4538,15.5904],[108.4475,15.58],[108.4538,15.5696],[108.4662,15.5696],[108.4725,15.58]]]}', TRUE, 0 FROM zone WHERE id = 'kcn-thuan-yen';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.5356,15.6],[108.5278,15.613],[108.5122,15.613],[108.5044,15.6],[108.5122,15.587],[108.5278,15.587],[108.5356,15.6]]]}', TRUE, 0 FROM zone WHERE id = 'kcn-tam-thang';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.6508,15.47],[108.6404,15.4873],[108.6196,15.4873],[108.6092,15.47],[108.6196,15.4527],[108.6404,15.4527],[108.6508,15.47]]]}', TRUE, 0 FROM zone WHERE id = 'kcn-bac-chu-lai';
INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)
    SELECT id, '{"type":"Polygon","coordinates":[[[108.6756,15.44],[108.6678,15.453],[108.6522,15.453],[108.6444,15.44],[108.6522,15.427],[108.6678,15.427],[108.6756,15.44]]]}', TRUE, 0 FROM zone WHERE id = 'kcn-tam-hiep';
