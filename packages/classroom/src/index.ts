export { Roster, type RosterData } from './roster.js';
export { classCsv, CSV_COLUMNS } from './export.js';
export { ClassServer, newJoinCode, type ClassLesson, type ClassServerOptions } from './class-server.js';
export { joinClass, type JoinedClass, type StudentOptions } from './student.js';
