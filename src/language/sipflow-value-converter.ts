import { DefaultValueConverter, GrammarAST, GrammarUtils, ValueConverter, type CstNode, type ValueType } from 'langium';

type Convert = (input: string) => ValueType;
const unchanged: Convert = input => input;

/**
 * Langium's value conversion, decided once per grammar element instead of once per token. Langium's
 * converter resolves the token's rule through type checks on the grammar, upper-cases the rule's name
 * and works out its type for every token it converts (~200,000 at 10,000 departments); the answer
 * only depends on the grammar element that consumed the token. The same conversions as
 * DefaultValueConverter (test/language/value-converter.test.ts compares them).
 */
export class SipflowValueConverter extends DefaultValueConverter {
    private readonly byElement = new Map<GrammarAST.AbstractElement | undefined, Convert>();

    override convert(input: string, cstNode: CstNode): ValueType {
        const element = cstNode.grammarSource;
        let convert = this.byElement.get(element);
        if (!convert) {
            convert = this.converterFor(element);
            this.byElement.set(element, convert);
        }
        return convert(input);
    }

    private converterFor(element: GrammarAST.AbstractElement | undefined): Convert {
        const feature = GrammarAST.isCrossReference(element) ? GrammarUtils.getCrossReferenceTerminal(element) : element;
        if (!GrammarAST.isRuleCall(feature)) return unchanged;
        const rule = feature.rule.ref;
        if (!rule) throw new Error('This cst node was not parsed by a rule.');
        return converterForRule(rule);
    }
}

/** What each escape means: ValueConverter.convertString's table (any other escaped character stands for itself). */
const ESCAPED: ReadonlyMap<string, string> = new Map([
    ['b', '\b'],
    ['f', '\f'],
    ['n', '\n'],
    ['r', '\r'],
    ['t', '\t'],
    ['v', '\v'],
    ['0', '\0'],
]);

/**
 * ValueConverter.convertString without its character-by-character `+=`: that builds a rope of one cons
 * string per character, which the AST keeps (~28,000 of them, ~1 MB, at 1,000 departments) and every
 * scavenge copies. A literal without escapes is one slice; escapes are cut between, with the same reading
 * as Langium's loop (the character after a backslash, even the closing quote, is the escaped one).
 */
export function convertStringFlat(input: string): string {
    const last = input.length - 1;
    let result = '';
    let from = 1;
    for (let escape = input.indexOf('\\', from); escape >= 0 && escape < last; escape = input.indexOf('\\', from)) {
        const escaped = input.charAt(escape + 1);
        result += input.slice(from, escape) + (ESCAPED.get(escaped) ?? escaped);
        from = escape + 2;
    }
    return result + input.slice(from, last);
}

/** DefaultValueConverter.runConverter's choice for `rule`, as a function. */
function converterForRule(rule: GrammarAST.AbstractRule): Convert {
    switch (rule.name.toUpperCase()) {
        case 'INT':
            return ValueConverter.convertInt;
        case 'STRING':
            return convertStringFlat;
        case 'ID':
            return ValueConverter.convertID;
    }
    switch (GrammarUtils.getRuleType(rule)?.toLowerCase()) {
        case 'number':
            return ValueConverter.convertNumber;
        case 'boolean':
            return ValueConverter.convertBoolean;
        case 'bigint':
            return ValueConverter.convertBigint;
        case 'date':
            return ValueConverter.convertDate;
        default:
            return unchanged;
    }
}
