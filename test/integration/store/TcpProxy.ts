// Moved to test/support/ (the fault tests in test/faults/ cut the bot's PostgreSQL connection with it too).
export { TcpProxy } from '../../support/TcpProxy.js';
