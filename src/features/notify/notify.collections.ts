/** The notifications port's collections are declared by the server; listed here with the area's. */
export { notifyConsents, notifyOutbox } from '../../server/notify/notify.collections';
