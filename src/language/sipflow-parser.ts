import { createLangiumParser, type LangiumCoreServices, type LangiumParser } from 'langium';

/** Syntax errors reported per file; past this the parser stops and says so. */
export const MAX_SYNTAX_ERRORS = 100;

/** The parts of Chevrotain's recognizer this relies on (stable since Chevrotain 10). */
interface ChevrotainRecognizer {
    _errors: Array<{ message: string }>;
    SAVE_ERROR(error: { message: string }): unknown;
    moveToTerminatedState(): void;
}

/**
 * Langium's parser, bounded: a file of garbage (say 1 MB of `queue {`) would otherwise produce hundreds
 * of thousands of errors, each costing Chevrotain a lookahead analysis and an exception, and take tens
 * of seconds (then overflow the stack when turned into diagnostics). After MAX_SYNTAX_ERRORS the parser
 * skips to the end of the file, and the last error says that it stopped.
 */
export function createSipflowParser(services: LangiumCoreServices): LangiumParser {
    const parser = createLangiumParser(services);
    const recognizer = (parser as unknown as { wrapper: ChevrotainRecognizer }).wrapper;
    const save = recognizer.SAVE_ERROR.bind(recognizer);
    recognizer.SAVE_ERROR = error => {
        const count = recognizer._errors.length;
        if (count < MAX_SYNTAX_ERRORS) return save(error);
        if (count === MAX_SYNTAX_ERRORS) {
            error.message = `Too many syntax errors: stopped after ${MAX_SYNTAX_ERRORS}, the rest of the file was not checked. Fix the first ones and the rest will be reported.`;
            save(error);
        }
        recognizer.moveToTerminatedState();
        return error;
    };
    return parser;
}
