/**
 * A search filter, as the directory evaluates it (RFC 4511 section 4.5.1), independent of any
 * LDAP library: the LDAP layer turns what ldapjs parsed into this. Attribute names and values
 * are as the client wrote them; the directory normalises them.
 */
export type Filter =
  | { readonly type: 'and'; readonly filters: readonly Filter[] }
  | { readonly type: 'or'; readonly filters: readonly Filter[] }
  | { readonly type: 'not'; readonly filter: Filter }
  | { readonly type: 'equality'; readonly attribute: string; readonly value: string }
  | { readonly type: 'greaterOrEqual'; readonly attribute: string; readonly value: string }
  | { readonly type: 'lessOrEqual'; readonly attribute: string; readonly value: string }
  | { readonly type: 'approx'; readonly attribute: string; readonly value: string }
  | { readonly type: 'present'; readonly attribute: string }
  | {
      readonly type: 'substring';
      readonly attribute: string;
      readonly initial?: string;
      readonly any: readonly string[];
      readonly final?: string;
    }
  | {
      readonly type: 'extensible';
      /** Absent: any attribute of the entry. */
      readonly attribute?: string;
      /** A matching rule name or OID; absent: the attribute's equality rule. */
      readonly rule?: string;
      readonly value: string;
      /** Also match the values in the entry's own DN. */
      readonly dnAttributes: boolean;
    };

