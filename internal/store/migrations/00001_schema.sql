-- +goose Up
-- The first schema: the organisation tree, channels, feedback and the
-- monthly/daily facts that the dashboards put side by side.

CREATE EXTENSION IF NOT EXISTS ltree;

-- Organisation tree: city → toimiala → unit. The path is built from codes,
-- so a code must be a valid ltree label.
CREATE TABLE org_unit (
    id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code      text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,60}$'),
    path      ltree NOT NULL UNIQUE,
    level     text NOT NULL CHECK (level IN ('city', 'toimiala', 'unit')),
    name_fi   text NOT NULL,
    name_sv   text NOT NULL,
    name_en   text NOT NULL,
    -- Centralised customer service (yhteispalvelu) as opposed to a
    -- department serving its own customers.
    centralised boolean NOT NULL DEFAULT false,
    CHECK (subpath(path, nlevel(path) - 1)::text = code)
);
CREATE INDEX org_unit_path_gist ON org_unit USING gist (path);

-- Contact channels. Reference data: the set of channels a Finnish
-- municipality uses (Kuntaliitto customer-service survey 2018).
CREATE TABLE channel (
    id          smallint PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name_fi     text NOT NULL,
    name_sv     text NOT NULL,
    name_en     text NOT NULL,
    digital     boolean NOT NULL,
    -- Target for the first response, in hours; the service-level panels
    -- compare the median against it.
    first_response_target_hours numeric(6, 1) NOT NULL,
    sort_order  smallint NOT NULL
);

INSERT INTO channel (id, code, name_fi, name_sv, name_en, digital, first_response_target_hours, sort_order) VALUES
    (1,  'service_point',     'Asiointipiste',        'Servicepunkt',        'Service point',      false, 24,  1),
    (2,  'phone',             'Puhelin',              'Telefon',             'Phone',              false, 24,  2),
    (3,  'email',             'Sähköposti',           'E-post',              'Email',              true,  48,  3),
    (4,  'web_form',          'Verkkolomake',         'Webbformulär',        'Web form',           true,  72,  4),
    (5,  'e_service',         'Sähköinen asiointi',   'E-tjänst',            'E-service',          true,  72,  5),
    (6,  'social_media',      'Sosiaalinen media',    'Sociala medier',      'Social media',       true,  24,  6),
    (7,  'chat',              'Chat',                 'Chatt',               'Chat',               true,  1,   7),
    (8,  'video',             'Videoasiointi',        'Videotjänst',         'Video service',      true,  24,  8),
    (9,  'instant_messaging', 'Pikaviestin',          'Snabbmeddelanden',    'Instant messaging',  true,  24,  9),
    (10, 'chatbot',           'Chatbot',              'Chattbot',            'Chatbot',            true,  24,  10),
    (11, 'whatsapp',          'WhatsApp',             'WhatsApp',            'WhatsApp',           true,  24,  11),
    (12, 'letter',            'Kirje',                'Brev',                'Letter',             false, 336, 12);

-- Feedback themes and the keyword rules that classify free text into them.
CREATE TABLE theme (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,60}$'),
    name_fi    text NOT NULL,
    name_sv    text NOT NULL,
    name_en    text NOT NULL
);

-- A rule matches when the lower-cased text contains the keyword (a word
-- stem). Rules are data: analysts change them without touching code.
CREATE TABLE theme_rule (
    theme_code text NOT NULL REFERENCES theme (code) ON DELETE CASCADE,
    keyword    text NOT NULL CHECK (keyword = lower(keyword) AND length(keyword) >= 3),
    PRIMARY KEY (theme_code, keyword)
);

INSERT INTO theme (code, name_fi, name_sv, name_en) VALUES
    ('street_maintenance', 'Katujen kunnossapito',     'Gatuunderhåll',             'Street maintenance'),
    ('parks',              'Puistot ja viheralueet',   'Parker och grönområden',    'Parks and green areas'),
    ('public_transport',   'Joukkoliikenne',           'Kollektivtrafik',           'Public transport'),
    ('waste_cleanliness',  'Jätehuolto ja siisteys',   'Avfall och renhållning',    'Waste and cleanliness'),
    ('early_education',    'Varhaiskasvatus',          'Småbarnspedagogik',         'Early childhood education'),
    ('schools',            'Koulut',                   'Skolor',                    'Schools'),
    ('sports',             'Liikuntapaikat',           'Idrottsplatser',            'Sports facilities'),
    ('library_culture',    'Kirjasto ja kulttuuri',    'Bibliotek och kultur',      'Library and culture'),
    ('permits',            'Luvat ja rakennusvalvonta','Tillstånd och byggnadstillsyn', 'Permits and building control'),
    ('customer_service',   'Asiakaspalvelu',           'Kundtjänst',                'Customer service'),
    ('digital_services',   'Digitaaliset palvelut',    'Digitala tjänster',         'Digital services'),
    ('parking',            'Pysäköinti',               'Parkering',                 'Parking'),
    ('noise',              'Melu',                     'Buller',                    'Noise'),
    ('street_lighting',    'Katuvalaistus',            'Gatubelysning',             'Street lighting');

INSERT INTO theme_rule (theme_code, keyword) VALUES
    ('street_maintenance', 'aura-'), ('street_maintenance', 'aurau'), ('street_maintenance', 'aurat'), ('street_maintenance', 'auraa'), ('street_maintenance', 'liukas'), ('street_maintenance', 'liukkau'),
    ('street_maintenance', 'hiekoi'), ('street_maintenance', 'kuoppa'), ('street_maintenance', 'kadun'),
    ('street_maintenance', 'jalkakäytävä'), ('street_maintenance', 'snöplog'), ('street_maintenance', 'halka'),
    ('street_maintenance', 'gatan'), ('street_maintenance', 'potthål'),
    ('parks', 'puisto'), ('parks', 'leikkipaik'), ('parks', 'viheralue'), ('parks', 'parken'), ('parks', 'lekplats'),
    ('public_transport', 'bussi'), ('public_transport', 'pysäkki'), ('public_transport', 'aikataulu'),
    ('public_transport', 'buss'), ('public_transport', 'hållplats'),
    ('waste_cleanliness', 'roska'), ('waste_cleanliness', 'jäte'), ('waste_cleanliness', 'jätte'), ('waste_cleanliness', 'siivo'),
    ('waste_cleanliness', 'skräp'), ('waste_cleanliness', 'sopor'),
    ('early_education', 'päiväkoti'), ('early_education', 'päiväkodi'), ('early_education', 'varhaiskasvatu'),
    ('early_education', 'daghem'), ('early_education', 'förskol'),
    ('schools', 'koulu'), ('schools', 'opettaja'), ('schools', 'oppila'), ('schools', 'skola'), ('schools', 'lärare'),
    ('sports', 'uimahalli'), ('sports', 'liikunta'), ('sports', 'kuntosali'), ('sports', 'latu'), ('sports', 'ladu'), ('sports', 'ladun'),
    ('sports', 'simhall'), ('sports', 'idrott'),
    ('library_culture', 'kirjasto'), ('library_culture', 'kulttuuri'), ('library_culture', 'konsert'),
    ('library_culture', 'bibliotek'), ('library_culture', 'kultur'),
    ('permits', 'lupa'), ('permits', 'luvan'), ('permits', 'rakennusvalvon'), ('permits', 'tillstånd'), ('permits', 'bygglov'),
    ('customer_service', 'jono'), ('customer_service', 'odot'), ('customer_service', 'palvelu oli'),
    ('customer_service', 'ystävälli'), ('customer_service', 'kö '), ('customer_service', 'vänlig'), ('customer_service', 'bemötande'),
    ('digital_services', 'verkkosivu'), ('digital_services', 'sähköi'), ('digital_services', 'sovellu'),
    ('digital_services', 'webbplats'), ('digital_services', 'e-tjänst'),
    ('parking', 'pysäköi'), ('parking', 'parkki'), ('parking', 'parker'),
    ('noise', 'melu'), ('noise', 'meteli'), ('noise', 'buller'), ('noise', 'bullr'), ('noise', 'oväsen'),
    ('street_lighting', 'katuvalo'), ('street_lighting', 'valaistu'), ('street_lighting', 'gatubelysning'), ('street_lighting', 'lampa'), ('street_lighting', 'lampor');

CREATE TABLE feedback (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source            text NOT NULL,
    source_id         text NOT NULL,
    channel_id        smallint NOT NULL REFERENCES channel (id),
    -- The platform behind social media or instant messaging (facebook,
    -- instagram, x, ...); empty for other channels.
    platform          text,
    unit_id           integer NOT NULL REFERENCES org_unit (id),
    received_at       timestamptz NOT NULL,
    first_response_at timestamptz CHECK (first_response_at >= received_at),
    resolved_at       timestamptz CHECK (resolved_at >= received_at),
    status            text NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    kind              text NOT NULL CHECK (kind IN ('praise', 'complaint', 'suggestion', 'question')),
    language          text NOT NULL CHECK (language IN ('fi', 'sv', 'en', 'other')),
    -- Free text, already scrubbed of personal data.
    body              text NOT NULL,
    themes            text[] NOT NULL DEFAULT '{}',
    UNIQUE (source, source_id)
);
CREATE INDEX feedback_received_at ON feedback (received_at);
CREATE INDEX feedback_unit_received_at ON feedback (unit_id, received_at);

-- Daily contact volumes per channel and unit (all contacts, not only feedback).
CREATE TABLE contact_volume (
    day        date NOT NULL,
    unit_id    integer NOT NULL REFERENCES org_unit (id),
    channel_id smallint NOT NULL REFERENCES channel (id),
    contacts   integer NOT NULL CHECK (contacts >= 0),
    PRIMARY KEY (day, unit_id, channel_id)
);

-- Account groups of the statutory income statement (decree 525/2020); the
-- statement line is data, never a hard-coded account range.
CREATE TABLE account_group (
    code           text PRIMARY KEY,
    statement_line text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('income', 'expense')),
    name_fi        text NOT NULL,
    name_sv        text NOT NULL,
    name_en        text NOT NULL,
    sort_order     smallint NOT NULL
);

INSERT INTO account_group (code, statement_line, kind, name_fi, name_sv, name_en, sort_order) VALUES
    ('sales',            'toimintatuotot',  'income',  'Myyntituotot',                 'Försäljningsintäkter',        'Sales revenue',                1),
    ('fees',             'toimintatuotot',  'income',  'Maksutuotot',                  'Avgiftsintäkter',             'Fee revenue',                  2),
    ('grants_received',  'toimintatuotot',  'income',  'Tuet ja avustukset',           'Understöd och bidrag',        'Subsidies and grants',         3),
    ('other_income',     'toimintatuotot',  'income',  'Muut toimintatuotot',          'Övriga verksamhetsintäkter',  'Other operating income',       4),
    ('wages',            'henkilostokulut', 'expense', 'Palkat ja palkkiot',           'Löner och arvoden',           'Wages and salaries',           5),
    ('social_costs',     'henkilostokulut', 'expense', 'Henkilösivukulut',             'Lönebikostnader',             'Social security costs',        6),
    ('purchased_services','toimintakulut',  'expense', 'Palvelujen ostot',             'Köp av tjänster',             'Purchased services',           7),
    ('materials',        'toimintakulut',   'expense', 'Aineet, tarvikkeet ja tavarat','Material, förnödenheter och varor', 'Materials and supplies', 8),
    ('grants_paid',      'toimintakulut',   'expense', 'Avustukset',                   'Understöd',                   'Grants paid',                  9),
    ('other_expenses',   'toimintakulut',   'expense', 'Muut toimintakulut',           'Övriga verksamhetskostnader', 'Other operating expenses',     10);

-- Monthly finance per unit and account group, in euros, both as positive
-- amounts: the account group's kind says income or expense.
CREATE TABLE finance_month (
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    unit_id       integer NOT NULL REFERENCES org_unit (id),
    account_group text NOT NULL REFERENCES account_group (code),
    budget        numeric(14, 2) NOT NULL,
    actual        numeric(14, 2) NOT NULL,
    PRIMARY KEY (month, unit_id, account_group)
);

-- Monthly HR per unit: headcount at month end, average FTE (htv) over the
-- month, sick-leave calendar days, overtime hours and leavers.
CREATE TABLE hr_month (
    month           date NOT NULL CHECK (extract(day FROM month) = 1),
    unit_id         integer NOT NULL REFERENCES org_unit (id),
    headcount       integer NOT NULL CHECK (headcount >= 0),
    fte             numeric(8, 2) NOT NULL CHECK (fte >= 0),
    sick_leave_days numeric(8, 1) NOT NULL CHECK (sick_leave_days >= 0),
    overtime_hours  numeric(10, 1) NOT NULL CHECK (overtime_hours >= 0),
    leavers         integer NOT NULL CHECK (leavers >= 0),
    PRIMARY KEY (month, unit_id)
);

-- The feedback a dashboard view selects: received on the days from..to
-- (whole days in the session's time zone, Europe/Helsinki), in the subtree
-- of unit, on the given channels (all of them when the list is empty). A
-- plain LANGUAGE sql function, not STRICT: the planner inlines it into
-- each query like a view that takes parameters, so indexes still apply.
-- +goose StatementBegin
CREATE FUNCTION feedback_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    id bigint, channel text, channel_order smallint, digital boolean, unit_id integer,
    received_at timestamptz, first_response_at timestamptz, resolved_at timestamptz,
    status text, kind text, themes text[], body text, language text
)
LANGUAGE sql STABLE AS $$
    SELECT f.id, c.code, c.sort_order, c.digital, f.unit_id,
           f.received_at, f.first_response_at, f.resolved_at, f.status, f.kind, f.themes, f.body, f.language
    FROM feedback f
    JOIN org_unit u ON u.id = f.unit_id
    JOIN channel c ON c.id = f.channel_id
    WHERE f.received_at >= p_from
      AND f.received_at < p_to + 1
      AND u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- The part of unit one level down that the unit at path belongs to: for the
-- city its toimiala, for a toimiala its unit; a leaf stands for itself.
-- Panels that break a figure down "by the next level" group by it.
-- +goose StatementBegin
CREATE FUNCTION child_group(p_path ltree, p_unit ltree) RETURNS ltree
LANGUAGE sql IMMUTABLE AS $$
    SELECT subpath(p_path, 0, least(nlevel(p_path), nlevel(p_unit) + 1))
$$;
-- +goose StatementEnd

-- One row: bumped by every load so caches and screens know data changed.
CREATE TABLE data_version (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint NOT NULL,
    updated_at timestamptz NOT NULL
);
INSERT INTO data_version VALUES (true, 1, now());

-- +goose Down
DROP FUNCTION child_group(ltree, ltree), feedback_in_view(date, date, ltree, text[]);
DROP TABLE data_version, hr_month, finance_month, account_group, contact_volume,
    feedback, theme_rule, theme, channel, org_unit;
