package vn.hoso.events;

import java.util.Arrays;
import java.util.Optional;

/** The ten dossier states of the portal's synchronisation interface, with their codes. */
public enum DossierStatus {
    SUBMITTED(1, "Mới đăng ký"),
    RECEIVED(2, "Đã tiếp nhận"),
    INTAKE_REFUSED(3, "Không tiếp nhận"),
    PROCESSING(4, "Đang xử lý"),
    SUPPLEMENT_REQUESTED(5, "Yêu cầu bổ sung"),
    PAYMENT_REQUESTED(6, "Yêu cầu thực hiện nghĩa vụ tài chính"),
    WITHDRAWN(7, "Công dân yêu cầu rút"),
    STOPPED(8, "Dừng xử lý"),
    RESULT_READY(9, "Đã xử lý xong"),
    RESULT_RETURNED(10, "Đã trả kết quả");

    private final int code;
    private final String vietnameseName;

    DossierStatus(int code, String vietnameseName) {
        this.code = code;
        this.vietnameseName = vietnameseName;
    }

    public int code() {
        return code;
    }

    public String vietnameseName() {
        return vietnameseName;
    }

    public boolean isFinal() {
        return this == INTAKE_REFUSED || this == WITHDRAWN || this == STOPPED || this == RESULT_RETURNED;
    }

    public static Optional<DossierStatus> ofCode(int code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst();
    }
}
