export { type Statement, splitStatements, stripLeadingComments } from './split.js';
