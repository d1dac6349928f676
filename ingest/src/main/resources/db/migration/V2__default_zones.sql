-- The default catalogue of Quang Nam sites (the domain catalogue of the design). Coordinates marked
-- unconfirmed there are approximate; operators correct them through /api/v1/zones.
INSERT INTO zone (id, name, kind, parent, lat, lon) VALUES
    ('tam-ky', 'Tam Ky', 'city', NULL, 15.5736, 108.4760),
    ('hoi-an', 'Hoi An', 'city', NULL, 15.8790, 108.3280),
    ('dien-ban', 'Dien Ban (Vinh Dien)', 'town', NULL, 15.90, 108.26),
    ('kcn-dien-nam-dien-ngoc', 'Dien Nam – Dien Ngoc industrial park', 'industrial_park', 'dien-ban', 15.96, 108.26),
    ('kcn-thuan-yen', 'Thuan Yen industrial park', 'industrial_park', 'tam-ky', 15.58, 108.46),
    ('kcn-tam-thang', 'Tam Thang industrial park', 'industrial_park', NULL, 15.60, 108.52),
    ('kcn-bac-chu-lai', 'Bac Chu Lai industrial park', 'industrial_park', NULL, 15.47, 108.63),
    ('kcn-tam-hiep', 'Tam Hiep industrial park', 'industrial_park', NULL, 15.44, 108.66);
