// One lint configuration for source, tests, benches and scripts: typescript-eslint's recommended
// rules plus React's hook rules. Formatting is prettier's job (npm run format), not ESLint's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx,cts,mts}'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			// The classic hook rules; the compiler-era rules (refs, …) flag the deliberate
			// store-snapshot pattern (tui/app/use-store-snapshot.ts).
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
			// `_name` marks a value taken only to leave it out (rest siblings, tuple slots).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{
					argsIgnorePattern: '^_',
					varsIgnorePattern: '^_',
					destructuredArrayIgnorePattern: '^_',
					ignoreRestSiblings: true,
				},
			],
			// A closure may read a value set after it was made (a server's io, set once it exists).
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
			// A terminal monitor matches control characters on purpose (escape sequences, C0 bytes).
			'no-control-regex': 'off',
		},
	},
	{
		// The forwarder is CommonJS and loads modules lazily so a hook starts fast.
		files: ['source/hook/forward.cts'],
		rules: {'@typescript-eslint/no-require-imports': 'off'},
	},
	{
		// Tests and benches poke at parsed JSON of unknown shape.
		files: ['test/**', 'bench/**', 'scripts/**'],
		rules: {'@typescript-eslint/no-explicit-any': 'off'},
	},
	{
		languageOptions: {
			globals: {
				process: 'readonly',
				console: 'readonly',
				Buffer: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
				setImmediate: 'readonly',
				clearImmediate: 'readonly',
				queueMicrotask: 'readonly',
				URL: 'readonly',
				TextEncoder: 'readonly',
				TextDecoder: 'readonly',
				AbortController: 'readonly',
				AbortSignal: 'readonly',
				fetch: 'readonly',
				performance: 'readonly',
				structuredClone: 'readonly',
				__dirname: 'readonly',
				require: 'readonly',
				module: 'writable',
			},
		},
	},
);
