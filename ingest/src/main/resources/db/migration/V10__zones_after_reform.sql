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
