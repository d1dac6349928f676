// Vietnamese (default) and English texts of the console.
const TEXTS = {
  vi: {
    // {place}: the name of the zone at the top of the hierarchy, as the API serves it.
    title: "Trung tâm điều hành {place}",
    titleNoPlace: "Trung tâm điều hành",
    wall: "Tổng quan",
    history: "Lịch sử",
    rules: "Quy tắc",
    logout: "Đăng xuất",
    login: "Đăng nhập",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    loginFailed: "Sai tên đăng nhập hoặc mật khẩu",
    live: "Trực tuyến",
    offline: "Mất kết nối",
    aqi: "VN_AQI",
    dominant: "chất chính",
    hoursAbove100: "giờ > 100 hôm nay",
    river: "Mực nước sông",
    alarm: "Báo động",
    noAlarm: "Dưới BĐ1",
    rain1h: "Mưa 1 giờ",
    rain24h: "Mưa 24 giờ",
    compliance: "Nước thải đạt QCVN 40",
    exceedances: "lần vượt hôm nay",
    energy: "Điện năng hôm nay",
    peak: "Công suất đỉnh",
    pf: "Hệ số công suất",
    lightFaults: "tủ đèn hỏng",
    online: "Thiết bị trực tuyến",
    completeness: "Đầy đủ dữ liệu",
    alertsOpen: "Cảnh báo đang mở",
    critical: "Khẩn cấp",
    warning: "Chú ý",
    info: "Thông tin",
    map: "Bản đồ",
    alerts: "Cảnh báo",
    noAlerts: "Không có cảnh báo đang mở",
    ack: "Xác nhận",
    acked: "Đã xác nhận",
    comment: "Ghi chú",
    send: "Gửi",
    cancel: "Hủy",
    firing: "chưa xác nhận",
    acknowledged: "đã xác nhận",
    resolved: "đã xử lý",
    zone: "Khu vực",
    site: "Địa điểm",
    kpi: "Chỉ số",
    device: "Thiết bị",
    metric: "Thông số",
    last24h: "24 giờ",
    last7d: "7 ngày",
    show: "Hiển thị",
    noData: "Không có dữ liệu",
    band_good: "Tốt",
    band_moderate: "Trung bình",
    band_poor: "Kém",
    band_bad: "Xấu",
    band_very_bad: "Rất xấu",
    band_hazardous: "Nguy hại",
    ruleName: "Tên quy tắc",
    type: "Loại thiết bị",
    condition: "Điều kiện",
    value: "Giá trị ngưỡng",
    holdFor: "Kéo dài ít nhất",
    clearAt: "Hết cảnh báo khi về",
    severity: "Mức độ",
    dryRun: "Chạy thử trên 24 giờ qua",
    save: "Lưu",
    saved: "Đã lưu",
    wouldRaise: "Số cảnh báo sẽ phát sinh",
    existingRules: "Quy tắc hiện có",
    enabled: "bật",
    disabled: "tắt",
    session: "Phiên",
    sessionExpired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    signedOutElsewhere: "Bạn đã bị đăng xuất. Vui lòng đăng nhập lại.",
    updatedAt: "Cập nhật lúc",
    noDataYet: "Chưa có dữ liệu",
    streamDown: "Mất kết nối luồng dữ liệu trực tiếp — số liệu trên màn hình có thể đã cũ",
    dataStale: "Dữ liệu đã cũ — không có cập nhật mới",
    lastUpdate: "cập nhật cuối",
    reconnecting: "đang kết nối lại…",
    legend: "Chú giải",
    state_critical: "Khẩn cấp",
    state_warning: "Chú ý",
    state_watch: "Theo dõi",
    state_normal: "Bình thường",
    state_unknown: "Chưa có dữ liệu",
    allZones: "Mọi khu vực",
    allSeverities: "Mọi mức độ",
    allStates: "Đang mở",
    recentlyResolved: "Đã xử lý gần đây",
    resolve: "Xử lý xong",
    flaps: "dao động",
    late: "dữ liệu đến trễ",
    neverReported: "chưa từng gửi dữ liệu",
    sound: "Âm thanh",
    mute: "Tắt âm thanh",
    unmute: "Bật âm thanh",
    filter: "Lọc",
    search: "Tìm kiếm",
    edit: "Sửa",
    delete: "Xóa",
    disable: "Tắt",
    enable: "Bật",
    confirmDelete: "Xóa quy tắc này?",
    deleted: "Đã xóa",
    target: "Áp dụng cho",
    wholeZone: "Toàn khu vực",
    oneSite: "Một địa điểm",
    oneDevice: "Một thiết bị",
    seconds: "giây",
    minutes: "phút",
    hours: "giờ",
    currentValue: "Hiện tại",
    levels: "Mức tham chiếu",
    parsed: "đọc là",
    notANumber: "Không phải là số (ví dụ 1,2)",
    oneSeparator: "Chỉ dùng một dấu thập phân (ví dụ 1,2)",
    required: "Bắt buộc",
    clearSide: "Mức hết cảnh báo phải nằm phía an toàn của ngưỡng",
    invalidField: "Giá trị không hợp lệ",
    noMetricData: "Thông số này không có dữ liệu trong 24 giờ qua: quy tắc sẽ không bao giờ kích hoạt với dữ liệu hiện có",
    cancelEdit: "Hủy sửa",
    editing: "Đang sửa",
    legalBasis: "Căn cứ",
    updated: "Đã cập nhật",
    window: "Khoảng thời gian",
    last1d: "1 ngày",
    kiosk: "Chế độ màn hình treo tường",
    downloadCsv: "Tải CSV",
    alertsCsvTitle: "Cảnh báo 30 ngày qua theo bộ lọc, dạng CSV",
    devices: "Thiết bị",
    users: "Người dùng",
    apiDocs: "Tài liệu API",
    registerDevice: "Đăng ký thiết bị",
    deviceId: "Mã thiết bị",
    secret: "Khóa bí mật",
    secretGenerated: "để trống: tự tạo",
    register: "Đăng ký",
    secretShownOnce: "Khóa bí mật mới chỉ hiển thị một lần, hãy sao chép ngay cho",
    done: "Xong",
    status: "Trạng thái",
    via: "qua",
    noCredentials: "chưa có khóa",
    rotateSecret: "Đổi khóa",
    confirmRotate: "Đổi khóa bí mật của thiết bị này? Khóa cũ hết hiệu lực ngay và thiết bị bị ngắt kết nối.",
    confirmDeleteDevice: "Xóa thiết bị này khỏi danh mục?",
    createUser: "Tạo người dùng",
    role: "Vai trò",
    role_admin: "Quản trị",
    "role_zone-manager": "Quản lý khu vực",
    role_operator: "Trực ban",
    role_viewer: "Chỉ xem",
    zones: "Khu vực",
    create: "Tạo",
    resetPassword: "Đặt lại mật khẩu",
    confirmResetPassword: "Đặt lại mật khẩu? Các phiên đăng nhập của người này hết hiệu lực ngay.",
    passwordShownOnce: "Mật khẩu mới chỉ hiển thị một lần, hãy chuyển cho",
    confirmDeleteUser: "Xóa người dùng này?",
    displays: "Màn hình treo tường",
    displayName: "Tên màn hình",
    days: "Số ngày hiệu lực",
    issueDisplay: "Cấp mã màn hình",
    displayLink: "Mở liên kết này một lần trên màn hình treo tường (chỉ hiển thị một lần):",
    expires: "Hết hạn",
    revoke: "Thu hồi",
    confirmRevoke: "Thu hồi mã của màn hình này? Màn hình sẽ ngừng hiển thị ngay.",
    displayRevoked: "Màn hình này đã bị thu hồi quyền hiển thị",
    displayRevokedHelp: "Liên hệ quản trị viên để cấp mã mới.",
    allZonesEmpty: "để trống: mọi khu vực",
  },
  en: {
    title: "{place} operations center",
    titleNoPlace: "Operations center",
    wall: "Overview",
    history: "History",
    rules: "Rules",
    logout: "Sign out",
    login: "Sign in",
    username: "Username",
    password: "Password",
    loginFailed: "Wrong username or password",
    live: "Live",
    offline: "Disconnected",
    aqi: "VN_AQI",
    dominant: "dominant",
    hoursAbove100: "h > 100 today",
    river: "River level",
    alarm: "Alarm",
    noAlarm: "Below alarm 1",
    rain1h: "Rain 1 h",
    rain24h: "Rain 24 h",
    compliance: "Wastewater within QCVN 40",
    exceedances: "exceedances today",
    energy: "Energy today",
    peak: "Peak power",
    pf: "Power factor",
    lightFaults: "light faults",
    online: "Devices online",
    completeness: "Data completeness",
    alertsOpen: "Open alerts",
    critical: "Critical",
    warning: "Warning",
    info: "Info",
    map: "Map",
    alerts: "Alerts",
    noAlerts: "No open alerts",
    ack: "Acknowledge",
    acked: "Acknowledged",
    comment: "Comment",
    send: "Send",
    cancel: "Cancel",
    firing: "unacknowledged",
    acknowledged: "acknowledged",
    resolved: "resolved",
    zone: "Zone",
    site: "Site",
    kpi: "KPI",
    device: "Device",
    metric: "Metric",
    last24h: "24 h",
    last7d: "7 days",
    show: "Show",
    noData: "No data",
    band_good: "Good",
    band_moderate: "Moderate",
    band_poor: "Poor",
    band_bad: "Bad",
    band_very_bad: "Very bad",
    band_hazardous: "Hazardous",
    ruleName: "Rule name",
    type: "Device type",
    condition: "Condition",
    value: "Threshold",
    holdFor: "For",
    clearAt: "Clears when back to",
    severity: "Severity",
    dryRun: "Dry run over 24 h",
    save: "Save",
    saved: "Saved",
    wouldRaise: "Alerts it would raise",
    existingRules: "Existing rules",
    enabled: "on",
    disabled: "off",
    session: "Session",
    sessionExpired: "Your session has expired. Please sign in again.",
    signedOutElsewhere: "You were signed out. Please sign in again.",
    updatedAt: "Updated at",
    noDataYet: "No data yet",
    streamDown: "Live data stream lost — figures on screen may be out of date",
    dataStale: "Data is stale — no recent updates",
    lastUpdate: "last update",
    reconnecting: "reconnecting…",
    legend: "Legend",
    state_critical: "Critical",
    state_warning: "Warning",
    state_watch: "Watch",
    state_normal: "Normal",
    state_unknown: "No data yet",
    allZones: "All zones",
    allSeverities: "All severities",
    allStates: "Open",
    recentlyResolved: "Recently resolved",
    resolve: "Resolve",
    flaps: "flaps",
    late: "late data",
    neverReported: "never reported",
    sound: "Sound",
    mute: "Mute",
    unmute: "Unmute",
    filter: "Filter",
    search: "Search",
    edit: "Edit",
    delete: "Delete",
    disable: "Disable",
    enable: "Enable",
    confirmDelete: "Delete this rule?",
    deleted: "Deleted",
    target: "Applies to",
    wholeZone: "Whole zone",
    oneSite: "One site",
    oneDevice: "One device",
    seconds: "seconds",
    minutes: "minutes",
    hours: "hours",
    currentValue: "Now",
    levels: "Reference levels",
    parsed: "read as",
    notANumber: "Not a number (e.g. 1.2)",
    oneSeparator: "Use one decimal separator (e.g. 1.2)",
    required: "Required",
    clearSide: "The clear level must lie on the safe side of the threshold",
    invalidField: "Invalid value",
    noMetricData: "This metric has no data in the last 24 h: the rule would never fire on current data",
    cancelEdit: "Cancel edit",
    editing: "Editing",
    legalBasis: "Legal basis",
    updated: "Updated",
    window: "Window",
    last1d: "1 day",
    kiosk: "Wall display mode",
    downloadCsv: "Download CSV",
    alertsCsvTitle: "Alerts of the last 30 days matching the filters, as CSV",
    devices: "Devices",
    users: "Users",
    apiDocs: "API reference",
    registerDevice: "Register a device",
    deviceId: "Device id",
    secret: "Secret",
    secretGenerated: "empty: generated",
    register: "Register",
    secretShownOnce: "The new secret is shown only once: copy it now for",
    done: "Done",
    status: "Status",
    via: "via",
    noCredentials: "no credentials",
    rotateSecret: "Rotate secret",
    confirmRotate: "Rotate this device's secret? The old one stops working at once and the device is disconnected.",
    confirmDeleteDevice: "Delete this device from the registry?",
    createUser: "Create a user",
    role: "Role",
    role_admin: "Administrator",
    "role_zone-manager": "Zone manager",
    role_operator: "Operator",
    role_viewer: "Viewer",
    zones: "Zones",
    create: "Create",
    resetPassword: "Reset password",
    confirmResetPassword: "Reset the password? This user's sessions end at once.",
    passwordShownOnce: "The new password is shown only once: pass it on to",
    confirmDeleteUser: "Delete this user?",
    displays: "Wall displays",
    displayName: "Display name",
    days: "Valid for (days)",
    issueDisplay: "Issue a display token",
    displayLink: "Open this link once on the wall screen (shown only once):",
    expires: "Expires",
    revoke: "Revoke",
    confirmRevoke: "Revoke this display's token? The screen stops showing data at once.",
    displayRevoked: "This display's access has been revoked",
    displayRevokedHelp: "Ask an administrator for a new display token.",
    allZonesEmpty: "empty: every zone",
  },
};

// Names of the default catalogue's zones, device types, metrics and KPIs in Vietnamese; other
// languages use the registry's names and the English texts below.
const TYPES = {
  vi: {
    water_level: "Mực nước", rain_gauge: "Đo mưa", air_quality: "Chất lượng không khí",
    wastewater: "Nước thải", energy: "Điện năng", noise: "Tiếng ồn", weather: "Thời tiết",
    street_light: "Chiếu sáng",
  },
  en: {
    water_level: "Water level", rain_gauge: "Rain gauge", air_quality: "Air quality",
    wastewater: "Wastewater", energy: "Energy", noise: "Noise", weather: "Weather",
    street_light: "Street lights",
  },
};

/** Metrics of each device type (domain catalogue) with their units and names. */
export const METRICS = {
  water_level: [["level", "m", "Mực nước", "Level"]],
  rain_gauge: [["rain", "mm", "Lượng mưa", "Rain"]],
  air_quality: [
    ["pm25", "µg/m³", "PM2.5", "PM2.5"], ["pm10", "µg/m³", "PM10", "PM10"],
    ["o3", "µg/m³", "O₃", "O₃"], ["no2", "µg/m³", "NO₂", "NO₂"], ["so2", "µg/m³", "SO₂", "SO₂"],
    ["co", "µg/m³", "CO", "CO"], ["temperature", "°C", "Nhiệt độ", "Temperature"],
    ["humidity", "%", "Độ ẩm", "Humidity"],
  ],
  wastewater: [
    ["cod", "mg/L", "COD", "COD"], ["tss", "mg/L", "TSS", "TSS"], ["nh4", "mg/L", "NH₄⁺-N", "NH₄⁺-N"],
    ["ph", "", "pH", "pH"], ["flow_in", "m³/h", "Lưu lượng vào", "Flow in"],
    ["flow_out", "m³/h", "Lưu lượng ra", "Flow out"], ["temperature", "°C", "Nhiệt độ", "Temperature"],
  ],
  energy: [
    ["power", "kW", "Công suất", "Power"], ["energy", "kWh", "Điện năng", "Energy"],
    ["pf", "", "Hệ số công suất", "Power factor"], ["voltage", "V", "Điện áp", "Voltage"],
    ["current", "A", "Dòng điện", "Current"], ["frequency", "Hz", "Tần số", "Frequency"],
  ],
  noise: [["laeq", "dBA", "Mức ồn LAeq", "LAeq"]],
  weather: [
    ["temperature", "°C", "Nhiệt độ", "Temperature"], ["humidity", "%", "Độ ẩm", "Humidity"],
    ["wind_speed", "m/s", "Tốc độ gió", "Wind speed"], ["pressure", "hPa", "Áp suất", "Pressure"],
  ],
  street_light: [
    ["on", "", "Bật (0/1)", "On (0/1)"], ["voltage", "V", "Điện áp", "Voltage"],
    ["power", "kW", "Công suất", "Power"], ["pf", "", "Hệ số công suất", "Power factor"],
  ],
};

/** KPI names and units. */
export const KPI_INFO = {
  aqi: ["", "VN_AQI", "VN_AQI"],
  aqi_hours_above_100: ["h", "Số giờ AQI > 100", "Hours AQI > 100"],
  river_level_max: ["m", "Mực nước sông cao nhất", "Highest river level"],
  rain_1h: ["mm", "Mưa 1 giờ", "Rain 1 h"],
  rain_24h: ["mm", "Mưa 24 giờ", "Rain 24 h"],
  wastewater_compliance_pct: ["%", "Nước thải đạt QCVN 40", "Wastewater compliance"],
  wastewater_exceedances_today: ["", "Số lần vượt hôm nay", "Exceedances today"],
  energy_kwh_today: ["kWh", "Điện năng hôm nay", "Energy today"],
  power_peak_kw: ["kW", "Công suất đỉnh", "Peak power"],
  pf_avg: ["", "Hệ số công suất", "Power factor"],
  street_light_faults: ["", "Tủ đèn đường hỏng", "Street-light faults"],
  devices_online_pct: ["%", "Thiết bị trực tuyến", "Devices online"],
  data_completeness_pct: ["%", "Đầy đủ dữ liệu", "Data completeness"],
  alerts_open_critical: ["", "Cảnh báo khẩn cấp đang mở", "Open critical alerts"],
  alerts_open_warning: ["", "Cảnh báo chú ý đang mở", "Open warning alerts"],
};

export function zoneName(lang, zone) {
  if (!zone) return "";
  return zone.name || zone.id;
}

export function typeName(lang, type) {
  return (TYPES[lang] ?? TYPES.vi)[type] ?? type;
}

export function metricInfo(lang, type, metric) {
  const m = (METRICS[type] ?? []).find(([id]) => id === metric);
  return m ? { id: m[0], unit: m[1], name: lang === "vi" ? m[2] : m[3] } : { id: metric, unit: "", name: metric };
}

export function kpiInfo(lang, kpi) {
  const k = KPI_INFO[kpi];
  return k ? { unit: k[0], name: lang === "vi" ? k[1] : k[2] } : { unit: "", name: kpi };
}

/**
 * The shipped rule packs' names in Vietnamese (they are stored in English); a zone manager's own
 * rule names are shown as written.
 */
export function ruleName(lang, name) {
  if (lang !== "vi" || !name) return name;
  let m = name.match(/^(.+) river above flood alarm (\d) \(([\d.]+) m\)$/);
  const stations = { "Hoi An": "Hội An", "Cau Lau": "Câu Lâu", "Tam Ky": "Tam Kỳ" };
  if (m) return `Sông tại ${stations[m[1]] ?? m[1]} vượt báo động ${m[2]} (${m[3].replace(".", ",")} m)`;
  m = name.match(/^Wastewater above QCVN 40 column ([AB]) for 15 min$/);
  if (m) return `Nước thải vượt QCVN 40 cột ${m[1]} quá 15 phút`;
  m = name.match(/^Air quality worse than VN_AQI (\d+) \(PM2\.5 hourly mean above (\d+)\)$/);
  if (m) return `Không khí xấu hơn VN_AQI ${m[1]} (PM2.5 trung bình giờ trên ${m[2]})`;
  m = name.match(/^(\w+) device offline \((\d+)m without data\)$/);
  if (m) return `Thiết bị ${typeName("vi", m[1]).toLowerCase()} mất kết nối (${m[2]} phút không có dữ liệu)`;
  return name;
}

/**
 * Reads a number typed by a person: the Vietnamese decimal comma ("1,2") and the point ("1.2")
 * both mean 1.2. Thousands separators are refused rather than guessed ("1.234,5" is ambiguous
 * across languages). Answers {value} or {error: text key}.
 */
export function parseDecimal(text) {
  const s = String(text ?? "").trim().replace(/\s+/g, "").replace("−", "-");
  if (s === "") return { empty: true };
  const separators = (s.match(/[.,]/g) ?? []).length;
  if (separators > 1) return { error: "oneSeparator" };
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(s)) return { error: "notANumber" };
  return { value: Number(s.replace(",", ".")) };
}

export function translator(lang) {
  const texts = TEXTS[lang] ?? TEXTS.vi;
  return (key) => texts[key] ?? key;
}

export function formatNumber(lang, value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return "–";
  return new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatClock(lang, ts) {
  return new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    timeStyle: "medium",
    timeZone: "Asia/Ho_Chi_Minh",
  }).format(new Date(ts));
}

export function formatTime(lang, ts) {
  return new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    dateStyle: "short",
    timeStyle: "medium",
    timeZone: "Asia/Ho_Chi_Minh",
  }).format(new Date(ts));
}
