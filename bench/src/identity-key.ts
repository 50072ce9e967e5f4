/**
 * A throwaway nkey user for the signed-identity contender, made for the bench and used nowhere
 * else: it guards nothing, so it may sit in the source (never do this with a real seed).
 */
export const BENCH_CALLER = 'bench-caller';
export const BENCH_CALLER_SEED = 'SUAPRNZTV2HHJLRKXUYVTJR2PA6MDSB75Z7Y676ROFED42FYLDVJGJQN6Y';
export const BENCH_CALLER_PUBLIC_KEY = 'UB5LM6CO7T4FAT63SBL75RUTS64OJHKEBUPXKOXMHHMPSWDFCFW5CSSJ';
