"use strict";
Object.assign(window.HoSo.texts, {
  title: { vi: "HoSo - Cổng dịch vụ công", en: "HoSo - public service portal" },
  lookup: { vi: "Tra cứu tình trạng hồ sơ", en: "Look a dossier's status up" },
  lookupHint: { vi: "Bằng mã hồ sơ và mã tra cứu in trên giấy tiếp nhận, không cần tài khoản.",
                en: "With the dossier code and lookup secret printed on the receipt; no account needed." },
  citizen: { vi: "Hồ sơ của tôi", en: "My dossiers" },
  citizenHint: { vi: "Đăng nhập để theo dõi hồ sơ, xem việc cần làm và đánh giá mức độ hài lòng.",
                 en: "Sign in to follow your dossiers, see what is asked of you and rate the service." },
  dashboard: { vi: "Mức độ hài lòng và đúng hạn", en: "Satisfaction and timeliness" },
  dashboardHint: { vi: "Số liệu tổng hợp theo cơ quan, thủ tục và kỳ, cho người phân tích và thanh tra.",
                   en: "Aggregate figures per agency, procedure and period, for analysts and inspectors." },
  breaches: { vi: "Hồ sơ vi phạm thời hạn", en: "Breaches of the time rules" },
  breachesHint: { vi: "Danh sách hồ sơ vi phạm từng quy định về thời hạn, cho thanh tra.",
                  en: "The dossiers that breached each time rule, for inspectors." }
});
