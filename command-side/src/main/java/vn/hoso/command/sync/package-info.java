/**
 * Agency sync: ministries' and provinces' own one-stop-shop systems report their actions machine to machine in the
 * portal's ten status codes, each message with the agency's own message id. Systems retry, so a repeated message id
 * changes nothing and gets the original answer.
 */
package vn.hoso.command.sync;
