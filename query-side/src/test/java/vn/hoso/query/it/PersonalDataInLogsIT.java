package vn.hoso.query.it;

import org.junit.jupiter.api.Order;
import vn.hoso.command.it.PersonalDataInLogsCheck;

/**
 * Runs after every other integration test of this module (junit-platform.properties orders classes): the checks of
 * {@link PersonalDataInLogsCheck} over what the services logged meanwhile.
 */
@Order(Integer.MAX_VALUE)
class PersonalDataInLogsIT extends PersonalDataInLogsCheck {
}
