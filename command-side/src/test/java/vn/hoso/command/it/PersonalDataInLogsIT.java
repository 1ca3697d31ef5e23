package vn.hoso.command.it;

import org.junit.jupiter.api.Order;

/**
 * Runs after every other integration test of this module (junit-platform.properties orders classes): the checks of
 * {@link PersonalDataInLogsCheck} over what the services logged meanwhile.
 */
@Order(Integer.MAX_VALUE)
class PersonalDataInLogsIT extends PersonalDataInLogsCheck {
}
